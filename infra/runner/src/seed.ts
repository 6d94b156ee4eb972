import type { ServiceClient } from "@bazaar/service-kit/clients";
import { demoCatalogOf, seedCatalog } from "./seed-catalog.ts";

export { demoCatalogOf } from "./seed-catalog.ts";

/** The operator of the demo platform (realm `platform`). */
export const DEMO_OPERATOR = { email: "operator@bazaar.test", password: "operator-demo-pass", roles: ["operator"] } as const;

/**
 * Demo data (API.md): two stores with distinct themes and catalogs, seeded once through the public
 * API. Each catalog is generated (services/catalog/src/demo): ~300 apparel products for acme, ~300
 * electronics for volt; `demoCatalogOf(store)` gives the same products the seed created.
 */
export const DEMO_STORES = [
  {
    slug: "acme",
    name: "Acme Apparel",
    ownerEmail: "owner@acme.test",
    accounts: [
      { email: "owner@acme.test", password: "acme-owner-pass", roles: ["owner"] },
      { email: "shopper@acme.test", password: "acme-shopper-pass", roles: ["shopper"] },
    ],
    plan: "growth",
    currency: "USD",
    theme: { primary: "#7c2d12", background: "#fff7ed", foreground: "#1c1917", accent: "#ea580c", radius: "14px", font: "Georgia, serif" },
    catalog: { kind: "apparel", count: 300, seed: 1 },
  },
  {
    slug: "volt",
    name: "Volt Electronics",
    ownerEmail: "owner@volt.test",
    accounts: [
      { email: "owner@volt.test", password: "volt-owner-pass", roles: ["owner"] },
      { email: "shopper@volt.test", password: "volt-shopper-pass", roles: ["shopper"] },
    ],
    plan: "enterprise",
    currency: "EUR",
    theme: { primary: "#0f172a", background: "#0b1120", foreground: "#e2e8f0", accent: "#22d3ee", radius: "4px", font: "'Inter', system-ui, sans-serif" },
    catalog: { kind: "electronics", count: 300, seed: 2 },
  },
] as const;

async function api(gateway: string, token: string, path: string, init: { method?: string; body?: unknown; tenant?: string } = {}) {
  const res = await fetch(gateway + path, {
    method: init.method ?? "GET",
    headers: {
      authorization: `Bearer ${token}`,
      "content-type": "application/json",
      ...(init.tenant ? { "x-tenant": init.tenant } : {}),
    },
    ...(init.body ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? "GET"} ${path} -> ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/**
 * Idempotent: an existing store is left as it is; a catalog is added only to a store without products; the
 * demo accounts are upserted through the identity service's internal endpoint (so their passwords
 * are the documented ones even after someone changed them).
 */
export async function seedDemo(gateway: string, token: string, identity: ServiceClient): Promise<{ created: string[] }> {
  const upsert = (realm: string, account: { email: string; password: string; roles: readonly string[] }) =>
    identity.call(`/internal/realms/${realm}/accounts`, { method: "POST", body: { ...account, roles: [...account.roles] } });
  await upsert("platform", DEMO_OPERATOR);
  // The stores are independent: seeding them side by side halves the first start's seeding time.
  const seeded = await Promise.all(
    DEMO_STORES.map(async (store) => {
      const { catalog: _catalog, accounts, ...body } = store;
      const tenant = await api(gateway, token, "/api/v1/platform/tenants", { method: "POST", body });
      if (tenant.status !== "active") throw new Error(`store ${store.slug} is ${tenant.status}: ${JSON.stringify(tenant.services)}`);
      for (const account of accounts) await upsert(store.slug, account);
      // Notifications: the store's name as sender and low-stock alerts to its owner, unless already set.
      const notify = await api(gateway, token, "/api/v1/admin/notifications/settings", { tenant: store.slug });
      if (notify.updatedAt === null) {
        await api(gateway, token, "/api/v1/admin/notifications/settings", { method: "PUT", tenant: store.slug, body: { sender: { name: store.name }, staffEmail: store.ownerEmail } });
      }
      const existing = await api(gateway, token, "/api/v1/admin/products?limit=1", { tenant: store.slug });
      if (existing.items.length > 0) return false;
      await seedCatalog(gateway, token, store.slug, demoCatalogOf(store));
      return true;
    }),
  );
  return { created: DEMO_STORES.filter((_, i) => seeded[i]).map((s) => s.slug) };
}
