import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GatewaySettings, Payment, PaymentDetail, PaymentEvents, PaymentList, type EventEnvelope } from "@bazaar/contracts";
import { eventually } from "@bazaar/service-kit/testing";
import { sql } from "drizzle-orm";
import { TEST_CARDS, TestGateway } from "../../src/app.ts";
import { startPayment, type PaymentHarness, type Store } from "./harness.ts";

const pay = (card: string, key: string, over: Record<string, unknown> = {}) => ({ orderId: `ord_${key}`, amount: 2_500, currency: "USD", method: { provider: "test", card }, idempotencyKey: `idem-${key}`, ...over });

describe("payment service on Postgres", () => {
  let h: PaymentHarness;
  let a: Store;
  let b: Store;
  const gateway = new TestGateway();
  const events: EventEnvelope[] = [];

  beforeAll(async () => {
    h = await startPayment({ gateways: [gateway], retry: { baseDelayMs: 1, maxDelayMs: 5 } });
    a = await h.provision("pay-a");
    b = await h.provision("pay-b");
    await h.bus.subscribe({ group: "test", topics: ["payments"], fromBeginning: true, handler: async (e) => void events.push(e) });
  });
  afterAll(() => h?.stop());

  const eventsOf = (paymentId: string) => events.filter((e) => e.aggregateId === paymentId).map((e) => e.type);

  it("takes a payment with the test card and emits payment.succeeded through the outbox", async () => {
    const res = await h.internal<Payment>(a, "/internal/payments", pay(TEST_CARDS.success, "ok-1"));
    expect(res.status).toBe(200);
    const p = Payment.parse(res.body);
    expect(p).toMatchObject({ status: "succeeded", amount: 2_500, provider: "test" });
    await eventually(() => eventsOf(p.id).includes(PaymentEvents.succeeded.type), "payment.succeeded");
  });

  it("the same idempotency key twice: one payment, one charge at the provider", async () => {
    const before = gateway.charges;
    const [x, y] = await Promise.all([h.internal<Payment>(a, "/internal/payments", pay(TEST_CARDS.success, "twice")), h.internal<Payment>(a, "/internal/payments", pay(TEST_CARDS.success, "twice"))]);
    const z = await h.internal<Payment>(a, "/internal/payments", pay(TEST_CARDS.success, "twice"));
    expect(new Set([x.body.id, y.body.id, z.body.id]).size).toBe(1);
    expect(z.body.status).toBe("succeeded");
    expect(gateway.charges - before).toBe(1);
    const reused = await h.internal(a, "/internal/payments", pay(TEST_CARDS.success, "twice", { amount: 1 }));
    expect(reused.status).toBe(409);
  });

  it("a decline is answered once, not retried, and recorded", async () => {
    const res = await h.internal<Payment>(a, "/internal/payments", pay(TEST_CARDS.declined, "decline"));
    expect(res.body).toMatchObject({ status: "failed", failureCode: "card_declined" });
    const detail = await h.call<PaymentDetail>(a, "GET", `/api/v1/admin/payments/${res.body.id}`, undefined, ["viewer"]);
    expect(PaymentDetail.parse(detail.body).attempts.map((t) => [t.outcome, t.code])).toEqual([["declined", "card_declined"]]);
    await eventually(() => eventsOf(res.body.id).includes(PaymentEvents.failed.type), "payment.failed");
  });

  it("a network error is retried, then reported failed, every attempt visible to the merchant", async () => {
    const res = await h.internal<Payment>(a, "/internal/payments", pay(TEST_CARDS.networkError, "network"));
    expect(res.body).toMatchObject({ status: "failed", failureCode: "network_error" });
    const detail = await h.call<PaymentDetail>(a, "GET", `/api/v1/admin/payments/${res.body.id}`);
    expect(detail.body.attempts.map((t) => t.outcome)).toEqual(["transient", "transient", "transient"]);
  });

  it("requires action, then confirm; refunds partially then fully; never beyond the charge", async () => {
    const res = await h.internal<Payment>(a, "/internal/payments", pay(TEST_CARDS.requiresAction, "3ds"));
    expect(res.body).toMatchObject({ status: "requires_action", nextAction: { type: "redirect" } });
    const confirmed = await h.internal<Payment>(a, `/internal/payments/${res.body.id}/confirm`, {});
    expect(confirmed.body.status).toBe("succeeded");
    expect((await h.internal<Payment>(a, `/internal/payments/${res.body.id}/refund`, { amount: 1_000 })).body).toMatchObject({ status: "partially_refunded", refundedAmount: 1_000 });
    expect((await h.internal(a, `/internal/payments/${res.body.id}/refund`, { amount: 1_501 })).status).toBe(409);
    expect((await h.internal<Payment>(a, `/internal/payments/${res.body.id}/refund`, {})).body).toMatchObject({ status: "refunded", refundedAmount: 2_500 });
    await eventually(() => eventsOf(res.body.id).filter((t) => t === PaymentEvents.refunded.type).length === 2, "two refunds");
    const voided = await h.internal<Payment>(a, "/internal/payments", pay(TEST_CARDS.requiresAction, "void"));
    expect((await h.internal<Payment>(a, `/internal/payments/${voided.body.id}/void`, {})).body.status).toBe("voided");
  });

  it("another store sees none of it; internal routes need the internal secret", async () => {
    const list = await h.call<PaymentList>(b, "GET", "/api/v1/admin/payments");
    expect(PaymentList.parse(list.body).items).toEqual([]);
    const mine = await h.call<PaymentList>(a, "GET", "/api/v1/admin/payments?limit=2");
    expect(mine.body.items).toHaveLength(2);
    expect(mine.body.nextCursor).not.toBeNull();
    expect((await h.call(b, "GET", `/api/v1/admin/payments/${mine.body.items[0]!.id}`)).status).toBe(404);
    expect((await h.call(a, "POST", "/internal/payments", pay(TEST_CARDS.success, "nosecret"))).status).toBe(403);
  });

  it("gateway settings: owner writes, staff reads, secrets never come back, sealed in the table", async () => {
    const put = await h.call<GatewaySettings>(a, "PUT", "/api/v1/admin/payment-gateways/test", { enabled: true, isDefault: true, config: { label: "Test" }, secrets: { webhookSecret: "whsec_abcd1234" } });
    expect(put.status).toBe(200);
    expect(GatewaySettings.parse(put.body).secrets.webhookSecret).toEqual({ set: true, last4: "1234" });
    expect(JSON.stringify(put.body)).not.toContain("whsec_abcd");
    const read = await h.call<{ items: GatewaySettings[] }>(a, "GET", "/api/v1/admin/payment-gateways", undefined, ["viewer"]);
    expect(read.body.items.find((g) => g.provider === "test")).toMatchObject({ enabled: true, isDefault: true });
    expect((await h.call(a, "PUT", "/api/v1/admin/payment-gateways/test", { enabled: false }, ["manager"])).status).toBe(403);
    expect((await h.call(a, "GET", "/api/v1/admin/payment-gateways/stripe")).status).toBe(404); // not registered here
    expect((await h.call<{ ok: boolean }>(a, "POST", "/api/v1/admin/payment-gateways/test/test")).body.ok).toBe(true);
    const raw = await h.service.tenancy.withTenant(a.tenantId, (tx) => tx.execute(sql`select secrets::text as s from gateway_settings`));
    expect(JSON.stringify(raw)).toContain("v1.");
    expect(JSON.stringify(raw)).not.toContain("whsec_abcd1234");
  });

  it("a webhook delivered three times changes the payment once; a tampered one is refused", async () => {
    const created = await h.internal<Payment>(a, "/internal/payments", pay(TEST_CARDS.requiresAction, "hook"));
    const body = JSON.stringify({ id: "evt_hook_1", type: "payment.succeeded", ref: created.body.providerRef, status: "succeeded" });
    const sig = createHmac("sha256", "whsec_abcd1234").update(body).digest("hex");
    const replies = [];
    for (let i = 0; i < 3; i++) replies.push(await h.webhook("/webhooks/test/pay-a", body, { "x-test-signature": sig }));
    expect(replies.map((r) => [r.status, (r.body as { duplicate: boolean }).duplicate])).toEqual([[200, false], [200, true], [200, true]]);
    expect((await h.call<Payment>(a, "GET", `/api/v1/admin/payments/${created.body.id}`)).body.status).toBe("succeeded");
    await eventually(() => eventsOf(created.body.id).includes(PaymentEvents.succeeded.type), "succeeded");
    await h.bus.drain();
    expect(eventsOf(created.body.id).filter((t) => t === PaymentEvents.succeeded.type)).toHaveLength(1);
    expect((await h.webhook("/webhooks/test/pay-a", body.replace("succeeded\"}", "failed\"}"), { "x-test-signature": sig })).status).toBe(400);
    expect((await h.webhook("/webhooks/test/no-such-store", body, { "x-test-signature": sig })).status).toBe(404);
  });

  it("three concurrent deliveries of one event: one state change, one event", async () => {
    const created = await h.internal<Payment>(a, "/internal/payments", pay(TEST_CARDS.requiresAction, "hook-concurrent"));
    const body = JSON.stringify({ id: "evt_hook_2", type: "payment.failed", ref: created.body.providerRef, status: "failed" });
    const sig = createHmac("sha256", "whsec_abcd1234").update(body).digest("hex");
    const replies = await Promise.all([1, 2, 3].map(() => h.webhook("/webhooks/test/pay-a", body, { "x-test-signature": sig })));
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(replies.filter((r) => !(r.body as { duplicate: boolean }).duplicate)).toHaveLength(1);
    expect((await h.call<Payment>(a, "GET", `/api/v1/admin/payments/${created.body.id}`)).body).toMatchObject({ status: "failed", failureCode: "provider_reported_failure" });
    await eventually(() => eventsOf(created.body.id).includes(PaymentEvents.failed.type), "failed");
    await h.bus.drain();
    expect(eventsOf(created.body.id).filter((t) => t === PaymentEvents.failed.type)).toHaveLength(1);
  });
});
