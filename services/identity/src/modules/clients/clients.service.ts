import { eq, sql } from "drizzle-orm";
import { PLATFORM_REALM } from "@bazaar/contracts";
import type { Tx } from "@bazaar/service-kit/db";
import { clients } from "../../db/schema/index.ts";
import type { Settings } from "../../settings.ts";

export type ClientRow = typeof clients.$inferSelect;

export async function findClient(tx: Tx, clientId: string): Promise<ClientRow | undefined> {
  if (!/^[A-Za-z0-9._-]{1,100}$/.test(clientId)) return undefined;
  const [row] = await tx.select().from(clients).where(eq(clients.clientId, clientId)).limit(1);
  return row;
}

/** The clients a realm is born with: the storefront (store realms only) and the admin app. */
export function defaultClients(realm: string, settings: Settings): { clientId: string; origins: string[] }[] {
  const admin = { clientId: "admin", origins: settings.adminOrigins };
  if (realm === PLATFORM_REALM) return [admin];
  return [{ clientId: "storefront", origins: settings.storefrontOrigins.map((o) => o.replaceAll("{slug}", realm)) }, admin];
}

/** Seed (or bring up to date with the configuration) the realm's clients. Idempotent. */
export async function seedClients(tx: Tx, realm: string, settings: Settings): Promise<void> {
  for (const c of defaultClients(realm, settings)) {
    const origins = c.origins.map((o) => o.replace(/\/+$/, ""));
    await tx
      .insert(clients)
      .values({ clientId: c.clientId, public: true, redirectUris: origins.map((o) => `${o}/*`), webOrigins: origins })
      .onConflictDoUpdate({
        target: clients.clientId,
        set: { redirectUris: sql`excluded.redirect_uris`, webOrigins: sql`excluded.web_origins`, updatedAt: sql`now()` },
      });
  }
}

/**
 * Is `uri` one of the client's redirect URIs? Each entry is an exact URI or a prefix ending in `/*`.
 * The URI must parse, have no fragment or user info, and keep the pattern's origin, so a pattern
 * `http://a.localhost:3000/*` never admits `http://a.localhost:3000.evil.test/`.
 */
export function redirectAllowed(patterns: readonly string[], uri: string): boolean {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return false;
  }
  if (uri.length > 2000 || url.hash || url.username || url.password || !/^https?:$/.test(url.protocol)) return false;
  return patterns.some((p) => {
    if (!p.endsWith("/*")) return p === uri;
    const prefix = p.slice(0, -1);
    try {
      return uri.startsWith(prefix) && url.origin === new URL(prefix).origin;
    } catch {
      return false;
    }
  });
}
