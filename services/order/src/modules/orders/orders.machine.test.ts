import { describe, expect, it } from "vitest";
import { AppError } from "@bazaar/service-kit/errors";
import { assertTransition, canTransition, eventFor, totals, TRANSITIONS } from "./orders.machine.ts";

describe("order state machine", () => {
  it("allows the checkout path and the merchant's steps", () => {
    for (const [from, to] of [
      ["created", "stock_reserved"],
      ["stock_reserved", "paid"],
      ["stock_reserved", "payment_failed"],
      ["stock_reserved", "payment_pending"],
      ["payment_pending", "paid"],
      ["paid", "shipped"],
      ["shipped", "delivered"],
      ["delivered", "refunded"],
      ["paid", "partially_refunded"],
      ["partially_refunded", "refunded"],
    ] as const) expect(canTransition(from, to), `${from} -> ${to}`).toBe(true);
  });

  it("refuses illegal steps with a 409 and keeps terminal states terminal", () => {
    expect(() => assertTransition("created", "paid")).toThrow(AppError);
    expect(() => assertTransition("shipped", "cancelled")).toThrowError(/cannot become cancelled/);
    for (const t of ["payment_failed", "cancelled", "refunded"] as const) expect(TRANSITIONS[t]).toEqual([]);
    try {
      assertTransition("delivered", "shipped");
    } catch (err) {
      expect((err as AppError).status).toBe(409);
    }
  });

  it("names an event for each public step", () => {
    expect(eventFor("paid")?.type).toBe("order.order.paid");
    expect(eventFor("payment_failed")?.type).toBe("order.order.payment_failed");
    expect(eventFor("stock_reserved")).toBeUndefined();
  });

  it("computes totals in minor units", () => {
    expect(totals(10_000, { flatShipping: 500, taxRateBps: 825 })).toEqual({ subtotal: 10_000, shipping: 500, tax: 825, total: 11_325 });
    expect(totals(999, { flatShipping: 0, taxRateBps: 1_000 })).toEqual({ subtotal: 999, shipping: 0, tax: 100, total: 1_099 });
    expect(totals(0, { flatShipping: 500, taxRateBps: 0 }).total).toBe(0);
  });
});
