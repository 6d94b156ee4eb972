import { describe, expect, it } from "vitest";
import type { PricedSku } from "@bazaar/contracts";
import type { StoredCart } from "./carts.store.ts";
import { priceCart } from "./carts.view.ts";

const sku = (s: string, over: Partial<PricedSku> = {}): PricedSku => ({
  sku: s,
  productId: `prod_${s}`,
  slug: s.toLowerCase(),
  name: s,
  options: {},
  image: null,
  price: 1000,
  currency: "USD",
  stock: 10,
  status: "active",
  ...over,
});

const cart = (lines: [string, number, number | null][]): StoredCart => ({
  id: "cart_x",
  version: 3,
  owner: "",
  createdAt: 0,
  updatedAt: 1_700_000_000_000,
  lines: lines.map(([s, quantity, seenPrice], order) => ({ sku: s, quantity, seenPrice, order })),
});

describe("priceCart", () => {
  it("prices lines in minor units and totals the purchasable ones", () => {
    const prices = new Map([
      ["A", sku("A", { price: 1999 })],
      ["B", sku("B", { price: 250 })],
    ]);
    const view = priceCart(cart([["A", 2, 1999], ["B", 3, 250]]), prices, 0);
    expect(view.lines.map((l) => [l.sku, l.unitPrice, l.lineTotal, l.warnings])).toEqual([
      ["A", 1999, 3998, []],
      ["B", 250, 750, []],
    ]);
    expect(view.totals).toEqual({ quantity: 5, subtotal: 4748 });
    expect(view.currency).toBe("USD");
    expect(view.hasWarnings).toBe(false);
  });

  it("flags stock, price changes, inactive, gone and foreign-currency lines without dropping them", () => {
    const prices = new Map<string, PricedSku | null>([
      ["LOW", sku("LOW", { stock: 1 })],
      ["NONE", sku("NONE", { stock: 0 })],
      ["NEW", sku("NEW", { price: 1200 })],
      ["ARCH", sku("ARCH", { status: "archived" })],
      ["GONE", null],
      ["EUR", sku("EUR", { currency: "EUR" })],
    ]);
    const view = priceCart(cart([["LOW", 2, 1000], ["NONE", 1, 1000], ["NEW", 1, 1000], ["ARCH", 1, 1000], ["GONE", 4, 900], ["EUR", 1, 1000]]), prices, 0);
    expect(Object.fromEntries(view.lines.map((l) => [l.sku, [l.warnings, l.purchasable]]))).toEqual({
      LOW: [["insufficient_stock"], true],
      NONE: [["out_of_stock"], false],
      NEW: [["price_changed"], true],
      ARCH: [["product_unavailable"], false],
      GONE: [["product_gone"], false],
      EUR: [["currency_mismatch"], false],
    });
    expect(view.lines.find((l) => l.sku === "NEW")!.previousUnitPrice).toBe(1000);
    expect(view.lines.find((l) => l.sku === "GONE")).toMatchObject({ unitPrice: null, lineTotal: 0, quantity: 4 });
    expect(view.totals).toEqual({ quantity: 3, subtotal: 3200 });
    expect(view.hasWarnings).toBe(true);
  });

  it("has no currency while empty", () => {
    expect(priceCart(cart([]), new Map(), 0)).toMatchObject({ currency: null, lines: [], totals: { quantity: 0, subtotal: 0 } });
  });
});
