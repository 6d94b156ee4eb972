import { describe, expect, it } from "vitest";
import { parseStaged } from "./carts.events.ts";

describe("parseStaged", () => {
  it("reads a staged event line; the owner comes last and may hold tabs", () => {
    expect(parseStaged("12\tadded\tA-1\tprod_x\t3\tcart_y\t1700000000000\tu:acc\tweird")).toEqual({
      seq: 12,
      kind: "added",
      sku: "A-1",
      productId: "prod_x",
      quantity: 3,
      cartId: "cart_y",
      at: 1_700_000_000_000,
      shopperId: "acc\tweird",
    });
    expect(parseStaged("13\tremoved\tA-1\t~\t1\tcart_y\t1\tg")).toMatchObject({ productId: null, shopperId: null, kind: "removed" });
    expect(parseStaged("garbage")).toBeUndefined();
    expect(parseStaged("1\tviewed\tA\tp\t1\tc\t1\tg")).toBeUndefined();
  });
});
