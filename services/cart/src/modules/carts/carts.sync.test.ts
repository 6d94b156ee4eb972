import { describe, expect, it } from "vitest";
import { CartOp } from "@bazaar/contracts";
import { orderOps } from "./carts.sync.ts";

describe("orderOps", () => {
  it("orders by client time (ms or ISO), then opId, keeping duplicates", () => {
    const ops = [
      { opId: "b", kind: "add", sku: "A", quantity: 1, at: "2026-01-01T00:00:01Z" },
      { opId: "a", kind: "add", sku: "A", quantity: 1, at: Date.parse("2026-01-01T00:00:01Z") },
      { opId: "c", kind: "remove", sku: "A", at: 5 },
      { opId: "a", kind: "set", sku: "A", quantity: 2, at: Date.parse("2026-01-01T00:00:01Z") },
    ].map((o) => CartOp.parse(o));
    expect(orderOps(ops).map((o) => `${o.opId}:${o.kind}`)).toEqual(["c:remove", "a:add", "a:set", "b:add"]);
  });

  it("needs a quantity for add and set", () => {
    expect(CartOp.safeParse({ opId: "x", kind: "set", sku: "A", at: 1 }).success).toBe(false);
    expect(CartOp.safeParse({ opId: "x", kind: "remove", sku: "A", at: 1 }).success).toBe(true);
    expect(CartOp.safeParse({ opId: "x y", kind: "remove", sku: "A", at: 1 }).success).toBe(false);
  });
});
