import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "@bazaar/service-kit/testing";
import { testPlatform } from "./harness.ts";

describe("shared cache of storefront reads", () => {
  let p: Awaited<ReturnType<typeof testPlatform>>;
  const create = (tenant: string, name: string) =>
    p.api("/api/v1/admin/products", { method: "POST", admin: true, tenant, body: JSON.stringify({ name, price: 500, currency: "USD" }) });

  beforeAll(async () => {
    p = await testPlatform();
    for (const slug of ["cache-a", "cache-b"]) {
      await p.api("/api/v1/platform/tenants", {
        method: "POST",
        admin: true,
        body: JSON.stringify({ slug, name: slug, ownerEmail: `o@${slug}.test`, plan: "starter", currency: "USD" }),
      });
    }
    await create("cache-a", "First");
  });
  afterAll(() => p?.stop());

  it("serves a repeated product read from the cache and revalidates with the ETag", async () => {
    const first = await p.api("/api/v1/products/first", { tenant: "cache-a" });
    expect(first.status).toBe(200);
    expect(first.headers.get("x-cache")).toBe("MISS");
    const etag = first.headers.get("etag");
    expect(etag).toBeTruthy();
    // The product's own creation event may still be on its way and drop the first fill: read until a hit.
    const second = await eventually(async () => {
      const r = await p.api("/api/v1/products/first", { tenant: "cache-a" });
      return r.headers.get("x-cache") === "HIT" ? r : undefined;
    }, "a cache hit", 5_000);
    expect(await second.json()).toEqual(await first.json());
    const revalidated = await p.api("/api/v1/products/first", { tenant: "cache-a", headers: { "if-none-match": etag! } });
    expect(revalidated.status).toBe(304);
  });

  it("shows a new product as soon as the catalog event arrives, and only for its own store", async () => {
    const names = async (tenant: string) => ((await (await p.api("/api/v1/products", { tenant })).json()).items as { name: string }[]).map((i) => i.name);
    expect(await names("cache-a")).toEqual(["First"]);
    expect(await names("cache-a")).toEqual(["First"]); // cached now
    expect(await names("cache-b")).toEqual([]);
    expect((await create("cache-a", "Second")).status).toBe(201);
    await eventually(async () => (await names("cache-a")).includes("Second"), "the cached list to drop after the catalog event", 5_000);
    expect(await names("cache-a")).toEqual(["Second", "First"]);
    expect(await names("cache-b")).toEqual([]);
  });

  it("never caches staff reads", async () => {
    const a = await p.api("/api/v1/admin/products", { tenant: "cache-a", admin: true });
    const b = await p.api("/api/v1/admin/products", { tenant: "cache-a", admin: true });
    expect(a.headers.get("x-cache")).toBeNull();
    expect(b.headers.get("x-cache")).toBeNull();
  });
});
