import type { CategoryNode } from "@bazaar/contracts";
import { generateCatalog, type DemoCatalog, type DemoKind } from "../../../services/catalog/src/demo/generate.ts";

/** Which generated catalog a demo store gets (services/catalog/src/demo). */
export interface DemoCatalogSpec {
  kind: DemoKind;
  count: number;
  seed: number;
}

/** Requests in flight when products are created one by one (no bulk import). */
const IN_FLIGHT = 8;

/** A demo store's catalog: the same every time (seeded), priced in the store's currency. */
export function demoCatalogOf(store: { currency: string; catalog: DemoCatalogSpec }): DemoCatalog {
  const currency = store.currency === "EUR" ? "EUR" : "USD";
  return generateCatalog(store.catalog.kind, store.catalog.count, store.catalog.seed, { currency });
}

type Call = (method: string, path: string, body?: unknown, raw?: { type: string; text: string }) => Promise<{ status: number; json: unknown }>;

function client(gateway: string, token: string, tenant: string): Call {
  return async (method, path, body, raw) => {
    const res = await fetch(gateway + path, {
      method,
      headers: { authorization: `Bearer ${token}`, "x-tenant": tenant, "content-type": raw?.type ?? "application/json" },
      ...(raw ? { body: raw.text } : body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, json: text ? (JSON.parse(text) as unknown) : undefined };
  };
}

async function must<T>(call: Call, method: string, path: string, body?: unknown): Promise<T> {
  const res = await call(method, path, body);
  if (res.status >= 300) throw new Error(`${method} ${path} -> ${res.status} ${JSON.stringify(res.json)}`);
  return res.json as T;
}

/** Run `fn` over `items` with at most `n` at a time. */
async function pool<T>(items: T[], n: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

/**
 * Create a demo store's categories, brands, attributes and products through the gateway API.
 * Taxonomy that an interrupted earlier run created is reused; products go in one bulk import
 * (`POST /api/v1/admin/imports`, which updates products whose slug exists), or one by one where
 * the catalog has no import route.
 */
export async function seedCatalog(gateway: string, token: string, tenant: string, demo: DemoCatalog): Promise<{ products: number; via: "import" | "products" }> {
  const call = client(gateway, token, tenant);
  const [tree, brands, attributes] = await Promise.all([
    must<{ items: CategoryNode[] }>(call, "GET", "/api/v1/categories"),
    must<{ items: { id: string; slug: string }[] }>(call, "GET", "/api/v1/brands"),
    must<{ items: { code: string }[] }>(call, "GET", "/api/v1/admin/attributes"),
  ]);
  const categoryIds = new Map<string, string>();
  const walk = (nodes: CategoryNode[]) => nodes.forEach((n) => (categoryIds.set(n.slug, n.id), walk(n.children)));
  walk(tree.items);
  const brandIds = new Map(brands.items.map((b) => [b.slug, b.id]));
  const codes = new Set(attributes.items.map((a) => a.code));

  // Categories a level at a time (a child needs its parent's id), siblings in parallel.
  let level = demo.categories.filter((c) => c.parent === null);
  while (level.length) {
    await Promise.all(
      level.map(async (c, position) => {
        if (categoryIds.has(c.slug)) return;
        const parentId = c.parent === null ? null : categoryIds.get(c.parent)!;
        const created = await must<{ id: string }>(call, "POST", "/api/v1/admin/categories", { name: c.name, slug: c.slug, parentId, position });
        categoryIds.set(c.slug, created.id);
      }),
    );
    const slugs = new Set(level.map((c) => c.slug));
    level = demo.categories.filter((c) => c.parent !== null && slugs.has(c.parent));
  }
  await Promise.all([
    ...demo.brands.filter((b) => !brandIds.has(b.slug)).map(async (b) => brandIds.set(b.slug, (await must<{ id: string }>(call, "POST", "/api/v1/admin/brands", b)).id)),
    ...demo.attributes.filter((a) => !codes.has(a.code)).map((a) => must(call, "POST", "/api/v1/admin/attributes", a)),
  ]);

  const ndjson = demo.products.map((p) => JSON.stringify(p)).join("\n");
  const imported = await call("POST", "/api/v1/admin/imports", undefined, { type: "application/x-ndjson", text: ndjson });
  if (imported.status === 201) return { products: demo.products.length, via: "import" };
  if (imported.status !== 404) throw new Error(`POST /api/v1/admin/imports -> ${imported.status} ${JSON.stringify(imported.json).slice(0, 2000)}`);

  await pool(demo.products, IN_FLIGHT, async ({ brand, categories, ...p }) => {
    const body = { ...p, brandId: brand === null ? null : brandIds.get(brand)!, categoryIds: categories.map((c) => categoryIds.get(c)!) };
    const res = await call("POST", "/api/v1/admin/products", body);
    // 409: created by an earlier, interrupted run.
    if (res.status !== 201 && res.status !== 409) throw new Error(`POST /api/v1/admin/products ${p.slug} -> ${res.status} ${JSON.stringify(res.json)}`);
  });
  return { products: demo.products.length, via: "products" };
}
