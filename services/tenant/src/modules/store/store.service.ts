import { eq } from "drizzle-orm";
import type { StoreInfo, ThemeTokens } from "@bazaar/contracts";
import type { Tx } from "@bazaar/service-kit/db";
import { AppError } from "@bazaar/service-kit/errors";
import { storeSettings } from "../../db/tenant-schema/store.ts";

export const DEFAULT_THEME: ThemeTokens = {
  primary: "#1f2937",
  background: "#ffffff",
  foreground: "#111827",
  accent: "#2563eb",
  radius: "8px",
  font: "system-ui, sans-serif",
};

/** First settings row of a new store; a repeat keeps what the merchant has changed. */
export async function initStoreSettings(tx: Tx, init: { name: string; currency: string; theme?: Partial<ThemeTokens> }): Promise<void> {
  await tx
    .insert(storeSettings)
    .values({ id: 1, name: init.name, currency: init.currency, theme: { ...DEFAULT_THEME, ...init.theme } })
    .onConflictDoNothing();
}

export async function setTheme(tx: Tx, theme: Partial<ThemeTokens>): Promise<void> {
  const [row] = await tx.select().from(storeSettings).where(eq(storeSettings.id, 1));
  if (!row) throw new AppError("not_found", "The store has no settings yet.");
  await tx.update(storeSettings).set({ theme: { ...row.theme, ...theme } }).where(eq(storeSettings.id, 1));
}

export async function getStore(tx: Tx, tenant: { tenantId: string; slug: string }): Promise<StoreInfo> {
  const [row] = await tx.select().from(storeSettings).where(eq(storeSettings.id, 1));
  if (!row) throw new AppError("tenant_not_found", "This store is not set up yet.");
  return { id: tenant.tenantId, slug: tenant.slug, name: row.name, currency: row.currency, theme: row.theme, logoUrl: row.logoUrl };
}
