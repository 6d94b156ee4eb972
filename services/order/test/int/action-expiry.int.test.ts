import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OrderEvents } from "@bazaar/contracts";
import { CARDS, orderHarness, type Harness } from "./fakes.ts";

const MINUTE = 60_000;

/**
 * A payment that needs the shopper (the test card that requires action) and what the order service
 * does while it waits: the recovery job looks again, with the same key, and after 30 minutes voids
 * the payment, releases the stock and cancels the order. The clock is the service's injected one,
 * moved by the test (no sleeping); the job runs when the test calls `recovery.tick()`. The service
 * runs with its defaults: 30 minutes for the shopper, reservations asked for 900 s.
 */
describe("order service: a payment waiting for the shopper", () => {
  let h: Harness;

  beforeAll(async () => {
    h = await orderHarness({ slug: "order-expiry" });
  });
  afterAll(async () => {
    await h?.close();
  });

  it("still requires action after 30 minutes: payment voided, stock released, order cancelled with order.cancelled", async () => {
    const before = h.level();
    const placed = await h.checkout(CARDS.action);
    expect(placed).toMatchObject({ status: "payment_pending", payment: { status: "requires_action", nextAction: { type: "redirect" } } });
    expect(h.level()).toEqual({ onHand: before.onHand, reserved: before.reserved + 2 });

    // Ten minutes on: the job asks the payment service again (same key, same payment), it still waits.
    h.advance(10 * MINUTE);
    await h.service.recovery.tick();
    let order = await h.read(placed.orderId);
    expect(order.status).toBe("payment_pending");
    expect(h.paymentOf(order).status).toBe("requires_action");
    expect(h.level()).toEqual({ onHand: before.onHand, reserved: before.reserved + 2 });
    expect(h.books.calls.filter((c) => c === `pay ${placed.orderId}`).length).toBe(2);
    expect([...h.books.payments.values()].filter((p) => p.orderId === placed.orderId)).toHaveLength(1);

    // Past the 30 minutes.
    h.advance(21 * MINUTE);
    await h.service.recovery.tick();
    order = await h.read(placed.orderId);
    expect(order).toMatchObject({ status: "cancelled", reason: "payment_action_expired", refundedAmount: 0 });
    expect(order.history.at(-1)).toMatchObject({ from: "payment_pending", to: "cancelled", actor: "recovery", reason: "payment_action_expired" });
    expect(h.paymentOf(order)).toMatchObject({ status: "voided", refundedAmount: 0 });
    expect(h.books.calls).toContain(`release ${placed.orderId}`);
    expect(h.level()).toEqual(before);
    const events = await h.events(placed.orderId);
    expect(events.map((e) => e.type)).toEqual([OrderEvents.created.type, OrderEvents.cancelled.type]);
    expect(events.at(-1)?.data).toMatchObject({ status: "cancelled", reason: "payment_action_expired" });

    // The job has nothing more to do with it.
    const calls = h.books.calls.length;
    h.advance(10 * MINUTE);
    await h.service.recovery.tick();
    expect(h.books.calls.length).toBe(calls);
    expect((await h.read(placed.orderId)).status).toBe("cancelled");
  });

  it("the shopper completes the step in time: the next pass commits the stock and the order is paid", async () => {
    const before = h.level();
    const placed = await h.checkout(CARDS.action);
    h.advance(5 * MINUTE);
    h.books.payments.get(placed.payment?.id ?? "")!.status = "succeeded";
    await h.service.recovery.tick();
    const order = await h.read(placed.orderId);
    expect(order.status).toBe("paid");
    expect(h.level()).toEqual({ onHand: before.onHand - 2, reserved: before.reserved });
    expect((await h.events(placed.orderId)).map((e) => e.type)).toEqual([OrderEvents.created.type, OrderEvents.paid.type]);
  });

  it("the shopper fails the step: PaymentFailed, stock released", async () => {
    const before = h.level();
    const placed = await h.checkout(CARDS.action);
    h.advance(MINUTE);
    h.books.payments.get(placed.payment?.id ?? "")!.status = "failed";
    await h.service.recovery.tick();
    expect(await h.read(placed.orderId)).toMatchObject({ status: "payment_failed", reason: "card_declined" });
    expect(h.level()).toEqual(before);
  });

  // The reservation outlives the 30-minute action window (its lifetime defaults to the window plus
  // 5 minutes), so a shopper who completes the step at minute 20 still has the stock. (The fake
  // expires held reservations at their expiresAt, as the inventory service's ExpiryJob does.)
  it("the shopper completes the step at minute 20, inside the 30 minutes: the order is paid", async () => {
    const placed = await h.checkout(CARDS.action);
    h.advance(20 * MINUTE);
    h.books.payments.get(placed.payment?.id ?? "")!.status = "succeeded";
    await h.service.recovery.tick();
    expect(await h.read(placed.orderId)).toMatchObject({ status: "paid" });
  });
});
