import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SkuLookupResult } from "@bazaar/contracts";
import { internalHeaders, signTenantHeaders } from "@bazaar/service-kit/tenancy";
import { TEST_SECRET } from "@bazaar/service-kit/testing";
import { startCatalog, type CatalogHarness, type Store } from "./harness.ts";

/** The pricing source of the cart: `POST /internal/catalog/skus`, internal callers only, one store. */
describe("internal SKU lookup", () => {
  let h: CatalogHarness;
  let a: Store;
  let b: Store;

  const lookup = (headers: Record<string, string>, body: unknown) =>
    h.service.app.request("/internal/catalog/skus", { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: JSON.stringify(body) });

  beforeAll(async () => {
    h = await startCatalog();
    a = await h.provision("skus-a");
    b = await h.provision("skus-b");
    const made = await h.call(a, "POST", "/api/v1/admin/products", {
      name: "Lookup tee",
      currency: "EUR",
      options: [{ name: "size", values: ["S", "M"] }],
      images: [{ url: "/media/tee.svg", alt: "tee" }],
      variants: [
        { sku: "LK-S", options: { size: "S" }, price: 1999, stock: 3 },
        { sku: "LK-M", options: { size: "M" }, price: 2199, stock: 0 },
      ],
    });
    expect(made.status).toBe(201);
    expect((await h.call(a, "POST", "/api/v1/admin/products", { name: "Lookup draft", currency: "EUR", price: 500, stock: 1, status: "draft" })).status).toBe(201);
    expect((await h.call(b, "POST", "/api/v1/admin/products", { name: "Other store", currency: "USD", price: 100, stock: 1, slug: "other" })).status).toBe(201);
  });
  afterAll(() => h?.stop());

  it("answers price, stock and status per known SKU of the store named in the signed context", async () => {
    const res = await lookup({ ...internalHeaders(TEST_SECRET), ...signTenantHeaders(TEST_SECRET, a) }, { skus: ["LK-S", "LK-M", "LOOKUP-DRAFT", "OTHER", "NOPE"] });
    expect(res.status).toBe(200);
    const { items } = SkuLookupResult.parse(await res.json());
    const bySku = Object.fromEntries(items.map((i) => [i.sku, i]));
    expect(Object.keys(bySku).sort()).toEqual(["LK-M", "LK-S", "LOOKUP-DRAFT"]);
    expect(bySku["LK-S"]).toMatchObject({ price: 1999, currency: "EUR", stock: 3, status: "active", slug: "lookup-tee", name: "Lookup tee", options: { size: "S" }, image: "/media/tee.svg" });
    expect(bySku["LK-M"]).toMatchObject({ price: 2199, stock: 0 });
    expect(bySku["LOOKUP-DRAFT"]).toMatchObject({ status: "draft", image: null });
  });

  it("refuses callers without the internal secret or a signed store, and bad bodies", async () => {
    expect((await lookup(signTenantHeaders(TEST_SECRET, a), { skus: ["LK-S"] })).status).toBe(403);
    expect((await lookup(internalHeaders(TEST_SECRET), { skus: ["LK-S"] })).status).toBe(400);
    expect((await lookup({ ...internalHeaders(TEST_SECRET), ...signTenantHeaders("another-secret-0123456789", a) }, { skus: ["LK-S"] })).status).toBe(403);
    const bad = await lookup({ ...internalHeaders(TEST_SECRET), ...signTenantHeaders(TEST_SECRET, a) }, { skus: [] });
    expect(bad.status).toBe(422);
    const many = await lookup({ ...internalHeaders(TEST_SECRET), ...signTenantHeaders(TEST_SECRET, a) }, { skus: Array.from({ length: 201 }, (_, i) => `S-${i}`) });
    expect(many.status).toBe(422);
  });

  it("is not part of the public API document", async () => {
    const doc = (await (await h.service.app.request("/openapi.json")).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths).some((p) => p.startsWith("/internal/"))).toBe(false);
  });
});
