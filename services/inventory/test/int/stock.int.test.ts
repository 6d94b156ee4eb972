import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Problem, SkuStock, StockChange, StockLevelPage } from "@bazaar/contracts";
import { startInventory, type InventoryHarness, type Store } from "./harness.ts";

describe("inventory: merchant levels, adjustments and thresholds", () => {
  let h: InventoryHarness;
  let store: Store;
  let other: Store;
  const A = "/api/v1/admin/inventory";
  beforeAll(async () => {
    h = await startInventory();
    store = await h.provision("stock-a");
    other = await h.provision("stock-b");
  });
  afterAll(async () => h?.stop());

  it("sets a level and logs it as an adjustment with who and why", async () => {
    const set = await h.call<StockChange>(store, "PUT", `${A}/TEE-M`, { onHand: 12 });
    expect(set.status).toBe(200);
    const change = StockChange.parse(set.body);
    expect(change.level).toMatchObject({ sku: "TEE-M", location: "default", onHand: 12, reserved: 0, available: 12, threshold: null, low: false });
    expect(change.adjustment).toMatchObject({ kind: "set", delta: 12, reason: "stock set", actor: "acc_owner", onHand: 12 });
    const adj = await h.call<StockChange>(store, "POST", `${A}/TEE-M/adjustments`, { delta: -2, reason: "damaged in transit" }, ["manager"]);
    expect(adj.status).toBe(201);
    expect(adj.body.adjustment).toMatchObject({ kind: "adjust", delta: -2, reason: "damaged in transit", actor: "acc_manager", onHand: 10 });
    await h.call(store, "PUT", `${A}/TEE-M`, { onHand: 3, location: "shop-1", reason: "stock count" });
    const got = await h.call<SkuStock>(store, "GET", `${A}/TEE-M`, undefined, ["viewer"]);
    expect(got.status).toBe(200);
    const sku = SkuStock.parse(got.body);
    expect(sku.levels.map((l) => [l.location, l.onHand])).toEqual([
      ["default", 10],
      ["shop-1", 3],
    ]);
    expect(sku.adjustments.map((a) => [a.delta, a.reason, a.actor])).toEqual([
      [3, "stock count", "acc_owner"],
      [-2, "damaged in transit", "acc_manager"],
      [12, "stock set", "acc_owner"],
    ]);
    const events = await h.events(store, "inventory.stock.adjusted");
    expect(events.map((e) => e.data.delta)).toEqual([12, -2, 3]);
  });

  it("refuses changes below zero or below what is reserved, naming the field, changing nothing", async () => {
    await h.call(store, "PUT", `${A}/CAP-1`, { onHand: 5 });
    await h.internal(store, "POST", "/internal/inventory/reservations", { orderId: "ord-cap", lines: [{ sku: "CAP-1", quantity: 4 }] });
    const below = await h.call(store, "POST", `${A}/CAP-1/adjustments`, { delta: -2, reason: "lost" });
    expect(below.status).toBe(409);
    expect(Problem.parse(below.body).errors?.[0]).toMatchObject({ path: "delta" });
    const set = await h.call(store, "PUT", `${A}/CAP-1`, { onHand: 3 });
    expect(set.status).toBe(409);
    expect(Problem.parse(set.body).errors?.[0]).toMatchObject({ path: "onHand" });
    const none = await h.call(store, "POST", `${A}/NEW-1/adjustments`, { delta: -1, reason: "lost" });
    expect(none.status).toBe(409);
    const negative = await h.call(store, "PUT", `${A}/CAP-1`, { onHand: -1 });
    expect(negative.status).toBe(422);
    expect(Problem.parse(negative.body).errors?.[0]).toMatchObject({ path: "onHand" });
    for (const body of [{ delta: 0, reason: "x" }, { delta: 1.5, reason: "x" }, { delta: 1 }, { delta: 1, reason: "   " }]) {
      expect((await h.call(store, "POST", `${A}/CAP-1/adjustments`, body)).status).toBe(422);
    }
    expect(await h.level(store, "CAP-1")).toEqual({ on_hand: 5, reserved: 4 });
    expect((await h.call<SkuStock>(store, "GET", `${A}/CAP-1`)).body.adjustments).toHaveLength(1);
    expect((await h.call(store, "GET", `${A}/NEW-1`)).status).toBe(404);
  });

  it("thresholds: low-stock listing and one stock.low event when availability crosses it", async () => {
    await h.call(store, "PUT", `${A}/LOW-1`, { onHand: 10 });
    const th = await h.call<SkuStock>(store, "PUT", `${A}/LOW-1/threshold`, { threshold: 5 });
    expect(th.status).toBe(200);
    expect(th.body.threshold).toBe(5);
    await h.call(store, "POST", `${A}/LOW-1/adjustments`, { delta: -4, reason: "sold offline" });
    expect(await h.events(store, "inventory.stock.low")).toHaveLength(0);
    await h.call(store, "POST", `${A}/LOW-1/adjustments`, { delta: -1, reason: "sold offline" });
    await h.call(store, "POST", `${A}/LOW-1/adjustments`, { delta: -1, reason: "sold offline" });
    expect((await h.events(store, "inventory.stock.low")).map((e) => e.data)).toEqual([{ sku: "LOW-1", available: 5, threshold: 5 }]);
    const low = await h.call(store, "GET", `${A}?lowStock=true`, undefined, ["viewer"]);
    expect(StockLevelPage.parse(low.body).items.map((l) => l.sku)).toEqual(["LOW-1"]);
    expect((await h.call(store, "PUT", `${A}/LOW-1/threshold`, { threshold: null })).status).toBe(200);
    expect(StockLevelPage.parse((await h.call(store, "GET", `${A}?lowStock=true`)).body).items).toEqual([]);
  });

  it("lists levels in pages, and one store never sees another's", async () => {
    const first = StockLevelPage.parse((await h.call(store, "GET", `${A}?limit=2`)).body);
    expect(first.items).toHaveLength(2);
    const rest = StockLevelPage.parse((await h.call(store, "GET", `${A}?limit=100&cursor=${first.nextCursor}`)).body);
    const all = [...first.items, ...rest.items].map((l) => `${l.sku}/${l.location}`);
    expect(all).toEqual([...all].sort());
    expect(new Set(all).size).toBe(all.length);
    expect((await h.call(store, "GET", `${A}?cursor=nope`)).status).toBe(422);
    expect(StockLevelPage.parse((await h.call(other, "GET", A)).body).items).toEqual([]);
    expect((await h.call(other, "GET", `${A}/TEE-M`)).status).toBe(404);
  });

  it("viewers read, only owners and managers write, anonymous callers are refused", async () => {
    expect((await h.call(store, "PUT", `${A}/TEE-M`, { onHand: 1 }, ["viewer"])).status).toBe(403);
    expect((await h.call(store, "POST", `${A}/TEE-M/adjustments`, { delta: 1, reason: "x" }, ["viewer"])).status).toBe(403);
    expect((await h.call(store, "GET", A, undefined, null)).status).toBe(401);
    expect((await h.call(store, "GET", A, undefined, ["shopper"])).status).toBe(403);
  });
});
