import type { ServiceClient } from "@bazaar/service-kit/clients";

/** The operator of the demo platform (realm `platform`). */
export const DEMO_OPERATOR = { email: "operator@bazaar.test", password: "operator-demo-pass", roles: ["operator"] } as const;

/** Demo data (API.md): two stores with distinct themes and catalogs, seeded once through the public API. */
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
    products: [
      { name: "Classic Tee", price: 1900, description: "Heavyweight cotton t-shirt." },
      { name: "Denim Jacket", price: 8900, description: "Rinsed selvedge denim." },
      { name: "Wool Beanie", price: 2400, description: "Merino rib knit." },
      { name: "Canvas Sneakers", price: 6500, description: "Vulcanised sole, organic canvas." },
      { name: "Linen Shirt", price: 5400, description: "Breathable summer linen." },
      { name: "Chino Trousers", price: 6900, description: "Stretch twill, tapered." },
    ],
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
    products: [
      { name: "Noise-Cancelling Headphones", price: 24900, description: "40 h battery, ANC." },
      { name: "USB-C Charger 65W", price: 3900, description: "GaN, two ports." },
      { name: "Mechanical Keyboard", price: 12900, description: "Hot-swap switches." },
      { name: "4K Monitor 27\"", price: 38900, description: "IPS, 144 Hz." },
      { name: "Wireless Mouse", price: 4900, description: "Silent clicks." },
      { name: "Portable SSD 1TB", price: 10900, description: "USB 3.2, 1,050 MB/s." },
    ],
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
 * Idempotent: an existing store is left as it is; products are added only to an empty store; the
 * demo accounts are upserted through the identity service's internal endpoint (so their passwords
 * are the documented ones even after someone changed them).
 */
export async function seedDemo(gateway: string, token: string, identity: ServiceClient): Promise<{ created: string[] }> {
  const created: string[] = [];
  const upsert = (realm: string, account: { email: string; password: string; roles: readonly string[] }) =>
    identity.call(`/internal/realms/${realm}/accounts`, { method: "POST", body: { ...account, roles: [...account.roles] } });
  await upsert("platform", DEMO_OPERATOR);
  for (const store of DEMO_STORES) {
    const { products, accounts, ...body } = store;
    const tenant = await api(gateway, token, "/api/v1/platform/tenants", { method: "POST", body });
    if (tenant.status !== "active") throw new Error(`store ${store.slug} is ${tenant.status}: ${JSON.stringify(tenant.services)}`);
    for (const account of accounts) await upsert(store.slug, account);
    const existing = await api(gateway, token, "/api/v1/admin/products?limit=1", { tenant: store.slug });
    if (existing.items.length > 0) continue;
    for (const p of products) {
      await api(gateway, token, "/api/v1/admin/products", { method: "POST", tenant: store.slug, body: { ...p, currency: store.currency } });
    }
    created.push(store.slug);
  }
  return { created };
}
