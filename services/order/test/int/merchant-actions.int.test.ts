import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OrderEvents } from "@bazaar/contracts";
import { CARDS, orderHarness, type Harness } from "./fakes.ts";

/**
 * The merchant's cancel and refund on real Postgres, the cart, inventory and payment services faked
 * with their books (fakes.ts): what happens to the money, the stock, the order's status and its
 * events, and what is refused. A checkout here is two units of 1000 with 500 shipping and 10 % tax:
 * 2700 in all.
 */
describe("order service: merchant cancel and refunds", () => {
  let h: Harness;

  beforeAll(async () => {
    h = await orderHarness({ slug: "order-actions" });
  });
  afterAll(async () => {
    await h?.close();
  });

  async function expectProblem(res: Response, status: number, code: string) {
    const text = await res.text();
    expect(res.status, text).toBe(status);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(JSON.parse(text)).toMatchObject({ status, code });
  }

  it("cancelling a paid order refunds all of it, holds no stock, emits order.cancelled and ends Cancelled", async () => {
    const before = h.level();
    const placed = await h.checkout(CARDS.ok);
    expect(placed.status).toBe("paid");
    expect(h.level()).toEqual({ onHand: before.onHand - 2, reserved: before.reserved });
    const res = await h.act(placed.orderId, "cancel", { reason: "customer changed their mind" });
    expect(res.status, await res.clone().text()).toBe(200);
    const order = await h.read(placed.orderId);
    expect(order).toMatchObject({ status: "cancelled", total: 2700, refundedAmount: 2700, reason: "customer changed their mind" });
    expect(order.history.at(-1)).toMatchObject({ from: "paid", to: "cancelled", actor: "acc_owner", reason: "customer changed their mind" });
    // The money: the whole payment refunded once.
    expect(h.paymentOf(order)).toEqual({ status: "refunded", amount: 2700, refundedAmount: 2700 });
    expect(h.books.calls.filter((c) => c.startsWith(`refund ${order.paymentId}`))).toEqual([`refund ${order.paymentId} 2700`]);
    // The stock: nothing stays reserved. The two units were committed at payment and, as docs/api.md
    // says ("committed stock is not put back"), stay out of on hand until the merchant adjusts it.
    expect(h.books.reservations.get(placed.orderId)?.status).toBe("committed");
    expect(h.level()).toEqual({ onHand: before.onHand - 2, reserved: before.reserved });
    // The event, through the outbox, with the reason.
    const events = await h.events(placed.orderId);
    expect(events.map((e) => e.type)).toEqual([OrderEvents.created.type, OrderEvents.paid.type, OrderEvents.cancelled.type]);
    expect(events.at(-1)?.data).toMatchObject({ status: "cancelled", reason: "customer changed their mind" });
  });

  it("cancelling a partly refunded order refunds only what is left", async () => {
    const placed = await h.checkout(CARDS.ok);
    expect((await h.act(placed.orderId, "refund", { amount: 1000 })).status).toBe(200);
    expect((await h.act(placed.orderId, "cancel")).status).toBe(200);
    const order = await h.read(placed.orderId);
    expect(order).toMatchObject({ status: "cancelled", refundedAmount: 2700, reason: "cancelled_by_merchant" });
    expect(h.paymentOf(order)).toEqual({ status: "refunded", amount: 2700, refundedAmount: 2700 });
  });

  it("cancelling an order waiting for the shopper voids its payment and releases its stock", async () => {
    const before = h.level();
    const placed = await h.checkout(CARDS.action);
    expect(placed.status).toBe("payment_pending");
    expect(h.level()).toEqual({ onHand: before.onHand, reserved: before.reserved + 2 });
    expect((await h.act(placed.orderId, "cancel", { reason: "fraud check" })).status).toBe(200);
    const order = await h.read(placed.orderId);
    expect(order).toMatchObject({ status: "cancelled", refundedAmount: 0 });
    expect(h.paymentOf(order)).toMatchObject({ status: "voided", refundedAmount: 0 });
    expect(h.books.reservations.get(placed.orderId)?.status).toBe("released");
    expect(h.level()).toEqual(before);
    expect((await h.events(placed.orderId)).map((e) => e.type)).toEqual([OrderEvents.created.type, OrderEvents.cancelled.type]);
  });

  it("cancelling a shipped or delivered order is a 409 problem and changes nothing", async () => {
    const placed = await h.checkout(CARDS.ok);
    expect((await h.act(placed.orderId, "ship", { carrier: "UPS", trackingNumber: "1Z999" })).status).toBe(200);
    const calls = h.books.calls.length;
    const events = (await h.events(placed.orderId)).length;
    await expectProblem(await h.act(placed.orderId, "cancel", { reason: "too late" }), 409, "conflict");
    let order = await h.read(placed.orderId);
    expect(order).toMatchObject({ status: "shipped", refundedAmount: 0, trackingNumber: "1Z999" });
    expect(h.paymentOf(order)).toMatchObject({ status: "succeeded", refundedAmount: 0 });
    expect(h.books.calls.length).toBe(calls); // no refund, no release asked for
    expect((await h.events(placed.orderId)).length).toBe(events);
    expect((await h.act(placed.orderId, "deliver")).status).toBe(200);
    await expectProblem(await h.act(placed.orderId, "cancel"), 409, "conflict");
    order = await h.read(placed.orderId);
    expect(order.status).toBe("delivered");
    expect(order.history.map((s) => s.to)).toEqual(["created", "stock_reserved", "paid", "shipped", "delivered"]);
  });

  it("cancelling twice: the second is a 409 and refunds nothing more", async () => {
    const placed = await h.checkout(CARDS.ok);
    expect((await h.act(placed.orderId, "cancel")).status).toBe(200);
    await expectProblem(await h.act(placed.orderId, "cancel"), 409, "conflict");
    const order = await h.read(placed.orderId);
    expect(h.books.calls.filter((c) => c.startsWith(`refund ${order.paymentId}`))).toHaveLength(1);
  });

  it("a partial refund, then the rest: PartiallyRefunded then Refunded, each with order.refunded; more than is left is refused", async () => {
    const placed = await h.checkout(CARDS.ok);
    const part = await h.act(placed.orderId, "refund", { amount: 700 });
    expect(part.status, await part.clone().text()).toBe(200);
    let order = await h.read(placed.orderId);
    expect(order).toMatchObject({ status: "partially_refunded", refundedAmount: 700 });
    expect(h.paymentOf(order)).toEqual({ status: "partially_refunded", amount: 2700, refundedAmount: 700 });

    // Over-refund: 2001 when 2000 is left is a 409 naming `amount`; the payment service is not asked.
    const calls = h.books.calls.length;
    const over = await h.act(placed.orderId, "refund", { amount: 2001 });
    const problem = (await over.clone().json()) as { errors?: { path: string }[] };
    await expectProblem(over, 409, "conflict");
    expect(problem.errors?.map((e) => e.path)).toEqual(["amount"]);
    expect(h.books.calls.length).toBe(calls);
    // Amounts that are not a positive whole number of minor units are 422.
    for (const amount of [0, -5, 1.5, "100", null]) await expectProblem(await h.act(placed.orderId, "refund", { amount }), 422, "validation_failed");
    order = await h.read(placed.orderId);
    expect(order).toMatchObject({ status: "partially_refunded", refundedAmount: 700 });
    expect(h.paymentOf(order)).toMatchObject({ refundedAmount: 700 });

    // A second partial refund stays PartiallyRefunded; no amount refunds all that is left.
    expect((await h.act(placed.orderId, "refund", { amount: 1000 })).status).toBe(200);
    expect(await h.read(placed.orderId)).toMatchObject({ status: "partially_refunded", refundedAmount: 1700 });
    const rest = await h.act(placed.orderId, "refund");
    expect(rest.status, await rest.clone().text()).toBe(200);
    order = await h.read(placed.orderId);
    expect(order).toMatchObject({ status: "refunded", refundedAmount: 2700 });
    expect(h.paymentOf(order)).toEqual({ status: "refunded", amount: 2700, refundedAmount: 2700 });
    expect(order.history.slice(3).map((s) => s.to)).toEqual(["partially_refunded", "partially_refunded", "refunded"]);

    // Nothing is left: any further refund (or a cancel) is a 409.
    await expectProblem(await h.act(placed.orderId, "refund", { amount: 1 }), 409, "conflict");
    await expectProblem(await h.act(placed.orderId, "refund"), 409, "conflict");
    await expectProblem(await h.act(placed.orderId, "cancel"), 409, "conflict");
    expect(h.paymentOf(order).refundedAmount).toBe(2700);

    const refunds = (await h.events(placed.orderId)).filter((e) => e.type === OrderEvents.refunded.type);
    expect(refunds.map((e) => [e.data.status, e.data.refundedAmount])).toEqual([
      ["partially_refunded", 700],
      ["partially_refunded", 1700],
      ["refunded", 2700],
    ]);
  });

  it("refunding more than the whole order in one go is refused and changes nothing", async () => {
    const placed = await h.checkout(CARDS.ok);
    await expectProblem(await h.act(placed.orderId, "refund", { amount: 2701 }), 409, "conflict");
    const order = await h.read(placed.orderId);
    expect(order).toMatchObject({ status: "paid", refundedAmount: 0 });
    expect(h.paymentOf(order)).toMatchObject({ status: "succeeded", refundedAmount: 0 });
  });

  it("a partly refunded order can still ship, and be refunded in full after delivery", async () => {
    const placed = await h.checkout(CARDS.ok);
    expect((await h.act(placed.orderId, "refund", { amount: 500 })).status).toBe(200);
    expect((await h.act(placed.orderId, "ship", { carrier: "DHL", trackingNumber: "JD0001" })).status).toBe(200);
    expect((await h.act(placed.orderId, "deliver")).status).toBe(200);
    expect((await h.act(placed.orderId, "refund")).status).toBe(200);
    expect(await h.read(placed.orderId)).toMatchObject({ status: "refunded", refundedAmount: 2700 });
  });

  it("an order whose payment failed cannot be refunded or cancelled", async () => {
    const placed = await h.checkout(CARDS.declined);
    expect(placed.status).toBe("payment_failed");
    await expectProblem(await h.act(placed.orderId, "refund", { amount: 1 }), 409, "conflict");
    await expectProblem(await h.act(placed.orderId, "cancel"), 409, "conflict");
  });

  // The payment service refusing a refund (the money was refunded at the provider meanwhile, reported
  // by webhook; or a cancel racing a partial refund) is a 409 for the merchant, and the order is unchanged.
  it("a refund the payment service refuses (refunded at the provider meanwhile) is a 4xx problem, not a 502", async () => {
    const placed = await h.checkout(CARDS.ok);
    const payment = h.books.payments.get((await h.read(placed.orderId)).paymentId ?? "")!;
    // As the payment service leaves it after a provider's `refunded` webhook: all of it refunded.
    payment.refundedAmount = payment.amount;
    payment.status = "refunded";
    const res = await h.act(placed.orderId, "refund");
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });
});
