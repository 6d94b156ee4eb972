import { afterEach, describe, expect, it, vi } from "vitest";
import { generateCatalog } from "../../../services/catalog/src/demo/generate.ts";
import { demoCatalogOf, seedCatalog } from "./seed-catalog.ts";

/** A stand-in gateway that records requests and keeps the taxonomy it was given. */
function fakeGateway(opts: { imports: boolean; existing?: { categories?: { id: string; slug: string }[]; brands?: string[]; attributes?: string[] } }) {
  const calls: { method: string; path: string; body: unknown; type: string | null; tenant: string | null }[] = [];
  const categories = new Map<string, { id: string; parentId: string | null }>((opts.existing?.categories ?? []).map((c) => [c.slug, { id: c.id, parentId: null }]));
  let n = 0;
  const id = (prefix: string) => `${prefix}_${String(++n).padStart(26, "0")}`;
  const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
  vi.stubGlobal("fetch", async (url: string, init: RequestInit) => {
    const path = new URL(url).pathname;
    const method = init.method ?? "GET";
    const headers = new Headers(init.headers);
    const type = headers.get("content-type");
    const body = typeof init.body === "string" && type === "application/json" ? JSON.parse(init.body) : init.body;
    calls.push({ method, path, body, type, tenant: headers.get("x-tenant") });
    if (method === "GET" && path === "/api/v1/categories") {
      return json(200, { items: [...categories].map(([slug, c]) => ({ id: c.id, slug, name: slug, parentId: c.parentId, position: 0, children: [] })) });
    }
    if (method === "GET" && path === "/api/v1/brands") return json(200, { items: (opts.existing?.brands ?? []).map((slug) => ({ id: id("brd"), slug, name: slug })) });
    if (method === "GET" && path === "/api/v1/admin/attributes") return json(200, { items: (opts.existing?.attributes ?? []).map((code) => ({ code })) });
    if (method === "POST" && path === "/api/v1/admin/categories") {
      const b = body as { slug: string; parentId: string | null };
      const created = { id: id("cat"), parentId: b.parentId };
      categories.set(b.slug, created);
      return json(201, { id: created.id, slug: b.slug });
    }
    if (method === "POST" && path === "/api/v1/admin/brands") return json(201, { id: id("brd"), slug: (body as { slug: string }).slug });
    if (method === "POST" && path === "/api/v1/admin/attributes") return json(201, body);
    if (method === "POST" && path === "/api/v1/admin/imports") return opts.imports ? json(201, { status: "completed" }) : json(404, { code: "not_found" });
    if (method === "POST" && path === "/api/v1/admin/products") return json(201, { id: id("prod") });
    return json(500, { path });
  });
  return { calls, categories };
}

afterEach(() => vi.unstubAllGlobals());

describe("seedCatalog", () => {
  const demo = generateCatalog("apparel", 40, 3);

  it("creates parents before children, then brands and attributes, then imports every product in one request", async () => {
    const gw = fakeGateway({ imports: true });
    expect(await seedCatalog("http://gw", "tok", "acme", demo)).toEqual({ products: 40, via: "import" });
    expect(gw.calls.every((c) => c.tenant === "acme")).toBe(true);
    for (const c of demo.categories) {
      const made = gw.categories.get(c.slug)!;
      expect(made.parentId).toBe(c.parent === null ? null : gw.categories.get(c.parent)!.id);
    }
    const posts = gw.calls.filter((c) => c.method === "POST");
    expect(posts.filter((c) => c.path.endsWith("/brands"))).toHaveLength(demo.brands.length);
    expect(posts.filter((c) => c.path.endsWith("/attributes")).map((c) => c.body)).toEqual(demo.attributes);
    const imports = posts.filter((c) => c.path.endsWith("/imports"));
    expect(imports).toHaveLength(1);
    expect(imports[0]!.type).toBe("application/x-ndjson");
    expect((imports[0]!.body as string).split("\n").map((l) => JSON.parse(l))).toEqual(demo.products);
    expect(posts.at(-1)!.path).toBe("/api/v1/admin/imports");
  });

  it("creates products one by one, with ids for brand and categories, where there is no import route", async () => {
    const gw = fakeGateway({ imports: false });
    expect(await seedCatalog("http://gw", "tok", "acme", demo)).toEqual({ products: 40, via: "products" });
    const created = gw.calls.filter((c) => c.method === "POST" && c.path === "/api/v1/admin/products").map((c) => c.body as Record<string, unknown>);
    expect(created.map((p) => p.slug).sort()).toEqual(demo.products.map((p) => p.slug).sort());
    for (const p of created) {
      expect(p.brandId).toMatch(/^brd_/);
      expect(p.categoryIds).toEqual([expect.stringMatching(/^cat_/)]);
      expect(p).not.toHaveProperty("brand");
      expect(p).not.toHaveProperty("categories");
    }
  });

  it("reuses taxonomy an interrupted run created", async () => {
    const gw = fakeGateway({ imports: true, existing: { categories: [{ id: "cat_00000000000000000000000099", slug: "clothing" }], brands: ["northpeak"], attributes: ["material"] } });
    await seedCatalog("http://gw", "tok", "acme", demo);
    const posted = (suffix: string) => gw.calls.filter((c) => c.method === "POST" && c.path.endsWith(suffix)).map((c) => c.body as Record<string, unknown>);
    expect(posted("/categories").map((c) => c.slug)).not.toContain("clothing");
    expect(posted("/categories").find((c) => c.slug === "outerwear")!.parentId).toBe("cat_00000000000000000000000099");
    expect(posted("/brands").map((b) => b.slug)).not.toContain("northpeak");
    expect(posted("/attributes").map((a) => a.code)).not.toContain("material");
  });

  it("fails loudly when the import is refused", async () => {
    fakeGateway({ imports: true });
    vi.stubGlobal("fetch", async (url: string, init: RequestInit) =>
      new URL(url).pathname === "/api/v1/admin/imports"
        ? new Response(JSON.stringify({ code: "validation_failed" }), { status: 422 })
        : new Response(JSON.stringify(init.method === "GET" ? { items: [] } : { id: "cat_00000000000000000000000001" }), { status: init.method === "GET" ? 200 : 201 }),
    );
    await expect(seedCatalog("http://gw", "tok", "acme", demo)).rejects.toThrow(/imports -> 422/);
  });
});

describe("demoCatalogOf", () => {
  it("prices a store's catalog in its currency", () => {
    const eur = demoCatalogOf({ currency: "EUR", catalog: { kind: "electronics", count: 5, seed: 2 } });
    expect(eur.products.every((p) => p.currency === "EUR")).toBe(true);
    expect(demoCatalogOf({ currency: "USD", catalog: { kind: "apparel", count: 5, seed: 1 } }).products[0]!.currency).toBe("USD");
  });
});
