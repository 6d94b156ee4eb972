import { describe, expect, it } from "vitest";
import RedisMock from "ioredis-mock";
import type { Redis } from "ioredis";
import { CartKeys, CartStore, ownerOf, parseCart, type StoreOp } from "./carts.store.ts";

/** The Lua scripts on the in-process emulation (the integration suite runs them on real Redis too). */
const T = "ten_01jd5m3x4s9t2v8w0y1z2a3b4c";
const limits = { maxLines: 3, maxQuantity: 10 };
const op = (kind: StoreOp["kind"], sku: string, quantity: number, over: Partial<StoreOp> = {}): StoreOp => ({
  opId: "",
  kind,
  sku,
  quantity,
  stock: 5,
  price: 100,
  productId: `prod_${sku}`,
  purchasable: true,
  ...over,
});

function setup() {
  const redis = new RedisMock() as unknown as Redis;
  const keys = new CartKeys(`unit-${Math.random().toString(36).slice(2)}`);
  return { redis, keys, store: new CartStore(redis, keys, 60_000) };
}
const lines = (c: { lines: { sku: string; quantity: number }[] }) => Object.fromEntries(c.lines.map((l) => [l.sku, l.quantity]));

describe("CartStore", () => {
  it("strict changes: add, set, remove with versions; limits refuse without writing", async () => {
    const { store } = setup();
    const id = await store.createGuest(T, 1);
    const add = await store.mutate(T, id, "*", "strict", [op("add", "A", 2)], limits, 2);
    expect(add).toMatchObject({ ok: true, version: 1 });
    for (const [o, code] of [
      [op("add", "A", 4), "stock"],
      [op("add", "A", 9, { stock: 100 }), "quantity"],
      [op("set", "B", 1), "no_line"],
      [op("remove", "B", 0), "no_line"],
      [op("add", "C", 1, { purchasable: false }), "unavailable"],
    ] as const) {
      expect(await store.mutate(T, id, "*", "strict", [o], limits, 3)).toMatchObject({ ok: false, code });
    }
    await store.mutate(T, id, "*", "strict", [op("add", "B", 1)], limits, 4);
    await store.mutate(T, id, "*", "strict", [op("add", "C", 1)], limits, 4);
    expect(await store.mutate(T, id, "*", "strict", [op("add", "D", 1)], limits, 4)).toMatchObject({ ok: false, code: "lines" });
    const set = await store.mutate(T, id, "*", "strict", [op("set", "A", 1, { stock: 0 })], limits, 5);
    expect(set).toMatchObject({ ok: true, version: 4 }); // lowering a line is fine even out of stock
    const removed = await store.mutate(T, id, "*", "strict", [op("remove", "B", 0)], limits, 6);
    expect(removed.ok && lines(removed.cart)).toEqual({ A: 1, C: 1 });
    expect((await store.read(T, id, "*"))?.version).toBe(5);
  });

  it("cap mode: each opId once, capped by stock and the line limit, gone products skipped", async () => {
    const { store } = setup();
    const id = await store.createGuest(T, 1);
    const ops = [
      op("add", "A", 4, { opId: "1" }),
      op("add", "A", 4, { opId: "2" }),
      op("add", "G", 1, { opId: "3", purchasable: false }),
      op("add", "B", 1, { opId: "4" }),
      op("add", "C", 1, { opId: "5" }),
      op("add", "D", 1, { opId: "6" }),
      op("add", "A", 1, { opId: "1" }),
      op("remove", "C", 0, { opId: "7" }),
    ];
    const res = await store.mutate(T, id, "*", "cap", ops, limits, 2);
    expect(res.ok && res.outcomes.map((o) => [o.status, o.quantity, o.requested])).toEqual([
      ["applied", 4, null],
      ["capped", 5, 8],
      ["product_gone", 0, null],
      ["applied", 1, null],
      ["applied", 1, null],
      ["rejected", 0, null],
      ["duplicate", 4 + 1, null],
      ["applied", 0, null],
    ]);
    expect(res.ok && res.version).toBe(1);
    const again = await store.mutate(T, id, "*", "cap", ops, limits, 3);
    expect(again.ok && again.outcomes.every((o) => o.status === "duplicate")).toBe(true);
    expect(again.ok && again.version).toBe(1);
  });

  it("cap mode never lowers a line to cap it, and lowering a line always works", async () => {
    const { store } = setup();
    const id = await store.createGuest(T, 1);
    await store.mutate(T, id, "*", "cap", [op("add", "A", 5, { stock: 10 })], limits, 2);
    const res = await store.mutate(
      T,
      id,
      "*",
      "cap",
      [op("add", "A", 1, { opId: "a", stock: 2 }), op("set", "A", 8, { opId: "b", stock: 2 }), op("set", "A", 3, { opId: "c", stock: 0, purchasable: false })],
      limits,
      3,
    );
    expect(res.ok && res.outcomes.map((o) => [o.status, o.quantity])).toEqual([
      ["capped", 5],
      ["capped", 5],
      ["applied", 3],
    ]);
  });

  it("owner checks: a shopper cart is only reached by its owner", async () => {
    const { store } = setup();
    const { id, created } = await store.shopperCart(T, "acc_1", 1);
    expect(created).toBe(true);
    expect(await store.shopperCart(T, "acc_1", 2)).toEqual({ id, created: false });
    expect(await store.read(T, id, ownerOf("acc_1"))).toMatchObject({ id, owner: "acc_1" });
    expect(await store.read(T, id, ownerOf("acc_2"))).toBeUndefined();
    expect(await store.mutate(T, id, ownerOf("acc_2"), "strict", [op("add", "A", 1)], limits, 3)).toMatchObject({ ok: false, code: "not_found" });
  });

  it("merges: sums, caps, never lowers the shopper's line, deletes the guest cart", async () => {
    const { store } = setup();
    const guest = await store.createGuest(T, 1);
    await store.mutate(T, guest, "*", "cap", [op("add", "A", 3), op("add", "B", 2, { price: 90 }), op("add", "C", 1), op("add", "E", 1)], { ...limits, maxLines: 5 }, 2);
    const mine = await store.shopperCart(T, "acc_1", 3);
    await store.mutate(T, mine.id, ownerOf("acc_1"), "cap", [op("add", "A", 4), op("add", "D", 1)], limits, 4);
    const g = (await store.read(T, guest, "*"))!;
    expect(await store.merge(T, guest, g.version + 1, { id: mine.id, subject: "acc_1" }, [], limits, 5)).toMatchObject({ ok: false, code: "retry" });
    const skus = [
      { sku: "A", stock: 5, price: 100, purchasable: true },
      { sku: "B", stock: 5, price: 100, purchasable: true },
      { sku: "C", stock: 5, price: 100, purchasable: false },
      { sku: "E", stock: 5, price: 100, purchasable: true },
    ];
    const res = await store.merge(T, guest, g.version, { id: mine.id, subject: "acc_1" }, skus, limits, 6);
    expect(res.ok && res.outcomes.map((o) => [o.sku, o.status, o.guestQuantity, o.previousQuantity, o.quantity, o.guestPrice])).toEqual([
      ["A", "capped", 3, 4, 5, 100],
      ["B", "added", 2, 0, 2, 90],
      ["C", "product_gone", 1, 0, 0, 100],
      ["E", "rejected", 1, 0, 0, 100],
    ]);
    expect(res.ok && lines(res.cart)).toEqual({ A: 5, D: 1, B: 2 });
    expect(await store.read(T, guest, "*")).toBeUndefined();
  });

  it("stages one event per quantity change, trimmed by sequence", async () => {
    const { store } = setup();
    const id = await store.createGuest(T, 1);
    await store.mutate(T, id, "*", "strict", [op("add", "A", 2)], limits, 2);
    await store.mutate(T, id, "*", "strict", [op("set", "A", 2)], limits, 3); // no change: no event
    await store.mutate(T, id, "*", "strict", [op("remove", "A", 0)], limits, 4);
    const staged = await store.stagedEvents(T, 10);
    expect(staged.epoch).toMatch(/^[0-9a-f]{16}$/);
    expect(staged.lines.map((l) => l.split("\t").slice(0, 5))).toEqual([
      ["1", "added", "A", "prod_A", "2"],
      ["2", "removed", "A", "prod_A", "2"],
    ]);
    expect(await store.trimEvents(T, 1)).toBe(1);
    expect((await store.stagedEvents(T, 10)).lines).toHaveLength(1);
  });

  it("parses a cart hash in line order", () => {
    const c = parseCart("cart_x", ["_v", "3", "_o", "u:acc", "q:B", "1", "o:B", "2", "q:A", "2", "o:A", "1", "p:A", "150", "_u", "9"]);
    expect(c).toMatchObject({ version: 3, owner: "acc", updatedAt: 9 });
    expect(c.lines).toEqual([
      { sku: "A", quantity: 2, seenPrice: 150, order: 1 },
      { sku: "B", quantity: 1, seenPrice: null, order: 2 },
    ]);
  });
});
