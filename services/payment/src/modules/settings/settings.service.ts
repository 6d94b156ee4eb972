import { eq } from "drizzle-orm";
import type { GatewaySettings, PaymentProvider, PutGatewayBody } from "@bazaar/contracts";
import type { Tx } from "@bazaar/service-kit/db";
import { AppError } from "@bazaar/service-kit/errors";
import { gatewaySettings } from "../../db/schema/index.ts";
import { seal, unseal } from "../../lib/crypto.ts";
import type { Credentials, GatewayRegistry } from "../gateways/gateway.ts";

export type SettingsRow = typeof gatewaySettings.$inferSelect;
type Row = SettingsRow;
type Sealed = Record<string, { sealed: string; last4: string }>;

/** Store settings of the gateways; secrets are sealed per store and field, and never read back out. */
export class GatewaySettingsService {
  constructor(
    private readonly registry: GatewayRegistry,
    private readonly key: Buffer,
    /** Whether the built-in test gateway works for a store that never configured it (not in production). */
    private readonly testByDefault = true,
  ) {}

  async list(tx: Tx): Promise<GatewaySettings[]> {
    const rows = await tx.select().from(gatewaySettings);
    return this.registry.providers().map((p) => this.view(p, rows.find((r) => r.provider === p)));
  }

  async get(tx: Tx, provider: PaymentProvider): Promise<GatewaySettings> {
    this.known(provider);
    const [row] = await tx.select().from(gatewaySettings).where(eq(gatewaySettings.provider, provider));
    return this.view(provider, row);
  }

  async put(tx: Tx, tenantId: string, provider: PaymentProvider, body: PutGatewayBody): Promise<GatewaySettings> {
    const gateway = this.known(provider);
    const [row] = await tx.select().from(gatewaySettings).where(eq(gatewaySettings.provider, provider)).for("update");
    const secrets: Sealed = { ...((row?.secrets as Sealed | undefined) ?? {}) };
    for (const [field, value] of Object.entries(body.secrets ?? {})) {
      if (!gateway.secretFields.includes(field) && field !== "webhookSecret") {
        throw new AppError("validation_failed", `Unknown secret field for ${provider}.`, [{ path: `secrets.${field}`, message: `one of: ${[...gateway.secretFields, "webhookSecret"].join(", ")}` }]);
      }
      if (value === "") delete secrets[field];
      else secrets[field] = { sealed: seal(this.key, value, aad(tenantId, provider, field)), last4: Array.from(value).slice(-4).join("") };
    }
    const config = { ...((row?.config as Record<string, string> | undefined) ?? {}), ...(body.config ?? {}) };
    const enabled = body.enabled ?? row?.enabled ?? false;
    const isDefault = body.isDefault ?? row?.isDefault ?? false;
    if (isDefault && !enabled) throw new AppError("conflict", "Only an enabled gateway can be the default.");
    if (isDefault) await tx.update(gatewaySettings).set({ isDefault: false });
    const values = { provider, enabled, isDefault, config, secrets, updatedAt: new Date() };
    const [saved] = await tx.insert(gatewaySettings).values(values).onConflictDoUpdate({ target: gatewaySettings.provider, set: values }).returning();
    return this.view(provider, saved);
  }

  /** The unsealed credentials of an enabled gateway (outside production the `test` gateway needs no row to be usable). */
  async credentials(tx: Tx, tenantId: string, provider: PaymentProvider, opts: { requireEnabled: boolean }): Promise<Credentials> {
    return this.credentialsFrom(await tx.select().from(gatewaySettings).where(eq(gatewaySettings.provider, provider)), tenantId, provider, opts);
  }

  /** `credentials` from the store's settings rows already read (all of them, or the provider's). */
  credentialsFrom(rows: Row[], tenantId: string, provider: PaymentProvider, opts: { requireEnabled: boolean }): Credentials {
    this.known(provider);
    const row = rows.find((r) => r.provider === provider);
    if (opts.requireEnabled && !(row?.enabled ?? this.onByDefault(provider))) throw new AppError("conflict", `The ${provider} gateway is not enabled for this store.`);
    return this.unsealed(tenantId, provider, row);
  }

  /** The default gateway among the store's settings rows: the one marked default, else `test` while nothing else is enabled. */
  defaultProvider(rows: Row[]): PaymentProvider {
    const marked = rows.find((r) => r.isDefault && r.enabled);
    if (marked) return marked.provider as PaymentProvider;
    const enabled = rows.filter((r) => r.enabled);
    if (enabled.length === 1) return enabled[0]!.provider as PaymentProvider;
    return "test";
  }

  private unsealed(tenantId: string, provider: string, row: Row | undefined): Credentials {
    const secrets: Record<string, string> = {};
    for (const [field, v] of Object.entries((row?.secrets as Sealed | undefined) ?? {})) secrets[field] = unseal(this.key, v.sealed, aad(tenantId, provider, field));
    return { config: (row?.config as Record<string, string> | undefined) ?? {}, secrets };
  }

  private view(provider: PaymentProvider, row: Row | undefined): GatewaySettings {
    const gateway = this.known(provider);
    const sealed = (row?.secrets as Sealed | undefined) ?? {};
    const secrets: GatewaySettings["secrets"] = {};
    for (const field of [...gateway.secretFields, "webhookSecret"]) secrets[field] = { set: field in sealed, last4: sealed[field]?.last4 ?? null };
    return {
      provider,
      enabled: row?.enabled ?? this.onByDefault(provider),
      isDefault: row?.isDefault ?? false,
      config: (row?.config as Record<string, string> | undefined) ?? {},
      secrets,
      updatedAt: row?.updatedAt.toISOString() ?? null,
    };
  }

  private onByDefault(provider: PaymentProvider): boolean {
    return provider === "test" && this.testByDefault;
  }

  private known(provider: PaymentProvider) {
    const g = this.registry.get(provider);
    if (!g) throw new AppError("not_found", `No gateway named ${provider}.`);
    return g;
  }
}

const aad = (tenantId: string, provider: string, field: string) => `${tenantId}:${provider}:${field}`;
