import { describe, expect, it } from "vitest";
import type { PricedSku } from "@bazaar/contracts";
import { PriceCache, type PriceLookup } from "./carts.pricing.ts";

const info = (sku: string, price: number): PricedSku => ({ sku, productId: "p", slug: "p", name: "P", options: {}, image: null, price, currency: "USD", stock: 1, status: "active" });
const store = { tenantId: "ten_01jd5m3x4s9t2v8w0y1z2a3b4c", slug: "s" };

function counting(prices: Map<string, number>) {
  const calls: string[][] = [];
  const lookup: PriceLookup = async (_t, skus) => {
    calls.push(skus);
    return new Map(skus.map((s) => [s, prices.has(s) ? info(s, prices.get(s)!) : null]));
  };
  return { calls, lookup };
}

describe("PriceCache", () => {
  it("asks the catalog once per SKU until the TTL ends, remembering unknown SKUs too", async () => {
    let now = 0;
    const { calls, lookup } = counting(new Map([["A", 100]]));
    const cache = new PriceCache(lookup, { ttlMs: 1000, now: () => now });
    expect((await cache.get(store, ["A", "X", "A"])).get("A")?.price).toBe(100);
    expect((await cache.get(store, ["A", "X"])).get("X")).toBeNull();
    expect(calls).toEqual([["A", "X"]]);
    now = 1001;
    await cache.get(store, ["A"]);
    expect(calls).toEqual([["A", "X"], ["A"]]);
  });

  it("forgets a store on invalidation, and never keeps an answer fetched before it", async () => {
    const prices = new Map([["A", 100]]);
    const { calls, lookup } = counting(prices);
    const cache = new PriceCache(lookup, { ttlMs: 60_000 });
    await cache.get(store, ["A"]);
    prices.set("A", 200);
    cache.invalidate(store.tenantId);
    expect((await cache.get(store, ["A"])).get("A")?.price).toBe(200);
    // An invalidation while a lookup is in flight: the (old) answer is used once, not kept.
    let release!: () => void;
    const slow = new PriceCache(async (t, skus) => {
      await new Promise<void>((r) => (release = r));
      return lookup(t, skus);
    }, { ttlMs: 60_000 });
    const pending = slow.get(store, ["A"]);
    slow.invalidate(store.tenantId);
    release();
    await pending;
    const before = calls.length;
    const again = slow.get(store, ["A"]);
    release();
    await again;
    expect(calls.length).toBe(before + 1);
  });

  it("with ttlMs 0 asks every time", async () => {
    const { calls, lookup } = counting(new Map([["A", 1]]));
    const cache = new PriceCache(lookup, { ttlMs: 0 });
    await cache.get(store, ["A"]);
    await cache.get(store, ["A"]);
    expect(calls.length).toBe(2);
  });
});
