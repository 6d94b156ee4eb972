import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Product, SearchResult } from "@bazaar/contracts";
import { startCatalog, type CatalogHarness, type Store } from "./harness.ts";

describe("catalog: products with variants, taxonomy, attributes", () => {
  let h: CatalogHarness;
  let store: Store;
  let other: Store;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    h = await startCatalog();
    store = await h.provision("crud-a");
    other = await h.provision("crud-b");
    const outer = await h.call<{ id: string }>(store, "POST", "/api/v1/admin/categories", { name: "Outerwear" });
    const jackets = await h.call<{ id: string }>(store, "POST", "/api/v1/admin/categories", { name: "Jackets", parentId: outer.body.id });
    const brand = await h.call<{ id: string }>(store, "POST", "/api/v1/admin/brands", { name: "Northpeak" });
    expect((await h.call(store, "POST", "/api/v1/admin/attributes", { code: "material", name: "Material", type: "select", values: ["nylon", "wool"] })).status).toBe(201);
    expect((await h.call(store, "POST", "/api/v1/admin/attributes", { code: "waterproof", name: "Waterproof", type: "boolean" })).status).toBe(201);
    Object.assign(ids, { outer: outer.body.id, jackets: jackets.body.id, brand: brand.body.id });
  });
  afterAll(async () => h?.stop());

  const jacket = () => ({
    name: "Stormshell Rain Jacket",
    description: "A light shell for wet days.",
    currency: "USD",
    brandId: ids.brand,
    categoryIds: [ids.jackets],
    attributes: { material: "nylon", waterproof: true },
    images: [{ url: "/api/v1/media/demo/apparel/1-210.svg", alt: "Rain jacket, front" }],
    options: [
      { name: "size", values: ["S", "M"] },
      { name: "colour", values: ["red", "blue"] },
    ],
    variants: [
      { sku: "SS-S-RED", options: { size: "S", colour: "red" }, price: 8900, prices: { EUR: 8200 }, stock: 3 },
      { sku: "SS-M-RED", options: { size: "M", colour: "red" }, price: 9900, stock: 0 },
    ],
  });

  it("creates a product with variants; reads it by slug with brand, categories, prices per currency", async () => {
    const res = await h.call<Product>(store, "POST", "/api/v1/admin/products", jacket());
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      slug: "stormshell-rain-jacket",
      price: { amount: 8900, currency: "USD" },
      brand: { name: "Northpeak" },
      categories: [{ name: "Jackets" }],
      inStock: true,
      images: [{ url: "/api/v1/media/demo/apparel/1-210.svg", alt: "Rain jacket, front", position: 0 }],
    });
    expect(res.body.variants.map((v) => [v.sku, v.available])).toEqual([
      ["SS-S-RED", true],
      ["SS-M-RED", false],
    ]);
    expect(res.body.variants[0]!.prices).toEqual([
      { amount: 8900, currency: "USD" },
      { amount: 8200, currency: "EUR" },
    ]);
    const read = await h.call<Product>(store, "GET", "/api/v1/products/stormshell-rain-jacket", undefined, null);
    expect(read.status).toBe(200);
    expect(read.body.id).toBe(res.body.id);
    expect((await h.call(other, "GET", "/api/v1/products/stormshell-rain-jacket", undefined, null)).status).toBe(404);
  });

  it("refuses bad input with the field, and changes nothing", async () => {
    const before = await h.call<SearchResult>(store, "GET", "/api/v1/admin/products/search?limit=100");
    const cases: [unknown, number, string][] = [
      [{ ...jacket(), slug: "neg", variants: [{ sku: "NEG-1", options: { size: "S", colour: "red" }, price: -1 }] }, 422, "variants.0.price"],
      [{ ...jacket(), slug: "unknown-cat", categoryIds: ["cat_00000000000000000000000000"], variants: [{ sku: "UC-1", options: { size: "S", colour: "red" }, price: 1 }] }, 422, "categoryIds.0"],
      [{ ...jacket(), slug: "dup-sku" }, 409, "sku"],
      [{ ...jacket(), variants: [{ sku: "NEW-1", options: { size: "S", colour: "red" }, price: 1 }] }, 409, "slug"],
      [{ ...jacket(), slug: "long", description: "x".repeat(10_001) }, 422, "description"],
      [{ ...jacket(), slug: "bad-attr", attributes: { material: "steel" } }, 422, "attributes.material"],
      [{ ...jacket(), slug: "bad-opt", variants: [{ sku: "BO-1", options: { size: "XL", colour: "red" }, price: 1 }] }, 422, "variants.0.options.size"],
      [{ ...jacket(), slug: "two-same", variants: [{ sku: "TS-1", options: { size: "S", colour: "red" }, price: 1 }, { sku: "TS-1", options: { size: "M", colour: "red" }, price: 1 }] }, 422, "variants.1.sku"],
      [{ name: "Float", currency: "USD", price: 19.99 }, 422, "price"],
    ];
    for (const [body, status, path] of cases) {
      const res = await h.call<{ errors?: { path: string }[] }>(store, "POST", "/api/v1/admin/products", body);
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(res.body.errors?.map((e) => e.path)).toContain(path);
    }
    const after = await h.call<SearchResult>(store, "GET", "/api/v1/admin/products/search?limit=100");
    expect(after.body.items).toEqual(before.body.items);
  });

  it("updates a product, its variants and keeps the from-price and stock flag right", async () => {
    const slug = "stormshell-rain-jacket";
    let res = await h.call<Product>(store, "PATCH", `/api/v1/admin/products/${slug}`, { name: "Stormshell Pro Jacket", attributes: { material: "wool", waterproof: false } });
    expect(res.status).toBe(200);
    expect(res.body.name).toBe("Stormshell Pro Jacket");
    res = await h.call<Product>(store, "PATCH", `/api/v1/admin/products/${slug}/variants/SS-S-RED`, { price: 12000, stock: 0 });
    expect(res.body).toMatchObject({ price: { amount: 9900 }, inStock: false });
    res = await h.call<Product>(store, "POST", `/api/v1/admin/products/${slug}/variants`, { sku: "SS-S-BLUE", options: { size: "S", colour: "blue" }, price: 7000, stock: 5 });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ price: { amount: 7000 }, inStock: true });
    expect((await h.call(store, "POST", `/api/v1/admin/products/${slug}/variants`, { sku: "SS-S-BLUE2", options: { size: "S", colour: "blue" }, price: 1 })).status).toBe(409);
    res = await h.call<Product>(store, "DELETE", `/api/v1/admin/products/${slug}/variants/SS-S-BLUE`);
    expect(res.body.price.amount).toBe(9900);
    const search = await h.call<SearchResult>(store, "GET", "/api/v1/products?q=pro%20jacket", undefined, null);
    expect(search.body.items.map((i) => i.slug)).toEqual([slug]);
  });

  it("moves categories but never under their own descendants; renames reach search", async () => {
    expect((await h.call(store, "PATCH", `/api/v1/admin/categories/${ids.outer}`, { parentId: ids.jackets })).status).toBe(422);
    expect((await h.call(store, "PATCH", `/api/v1/admin/categories/${ids.outer}`, { parentId: ids.outer })).status).toBe(422);
    expect((await h.call(store, "DELETE", `/api/v1/admin/categories/${ids.outer}`)).status).toBe(409);
    expect((await h.call(store, "PATCH", `/api/v1/admin/brands/${ids.brand}`, { name: "Summitline" })).status).toBe(200);
    const found = await h.call<SearchResult>(store, "GET", "/api/v1/products?q=summitline", undefined, null);
    expect(found.body.total).toBe(1);
    const byCategory = await h.call<SearchResult>(store, "GET", "/api/v1/products?category=outerwear", undefined, null);
    expect(byCategory.body.total).toBe(1);
  });

  it("finds jackets from a typo, and says so", async () => {
    const res = await h.call<SearchResult>(store, "GET", "/api/v1/products?q=jakcet", undefined, null);
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(1);
    expect(res.body.corrections).toEqual([{ from: "jakcet", to: "jacket" }]);
  });

  it("deletes a product and its variants; the SKU is free again", async () => {
    expect((await h.call(store, "DELETE", "/api/v1/admin/products/stormshell-rain-jacket")).status).toBe(204);
    expect((await h.call(store, "GET", "/api/v1/admin/products/stormshell-rain-jacket")).status).toBe(404);
    expect((await h.call(store, "POST", "/api/v1/admin/products", { name: "Again", currency: "USD", variants: [{ sku: "SS-S-RED", price: 100 }] })).status).toBe(201);
  });
});
