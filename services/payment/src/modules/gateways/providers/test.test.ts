import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { TEST_CARDS, TestGateway } from "./test.ts";

const creds = { config: {}, secrets: {} };
const input = (card: string, key = `k-${card}`) => ({ paymentId: "pay_1", orderId: "ord_1", amount: 1000, currency: "USD", method: { provider: "test" as const, card }, idempotencyKey: key });

describe("test gateway", () => {
  it("picks the outcome from the card number (API.md)", async () => {
    const g = new TestGateway();
    expect(await g.createPayment(creds, input(TEST_CARDS.success))).toMatchObject({ status: "succeeded" });
    expect(await g.createPayment(creds, input(TEST_CARDS.declined))).toMatchObject({ status: "failed", failureCode: "card_declined" });
    expect(await g.createPayment(creds, input(TEST_CARDS.insufficientFunds))).toMatchObject({ status: "failed", failureCode: "insufficient_funds" });
    expect(await g.createPayment(creds, input(TEST_CARDS.requiresAction))).toMatchObject({ status: "requires_action", nextAction: { type: "redirect" } });
    await expect(g.createPayment(creds, input(TEST_CARDS.networkError))).rejects.toMatchObject({ kind: "transient", code: "network_error" });
  });

  it("charges once per idempotency key", async () => {
    const g = new TestGateway();
    const a = await g.createPayment(creds, input(TEST_CARDS.success, "same"));
    const b = await g.createPayment(creds, input(TEST_CARDS.success, "same"));
    expect(b).toEqual(a);
    expect(g.charges).toBe(1);
  });

  it("refunds partially and never beyond the charge; confirm finishes a required action", async () => {
    const g = new TestGateway();
    const { providerRef } = await g.createPayment(creds, input(TEST_CARDS.success));
    await g.refund(creds, providerRef!, 400, "USD", "r1");
    await g.refund(creds, providerRef!, 400, "USD", "r1"); // same key: once
    await g.refund(creds, providerRef!, 600, "USD", "r2");
    await expect(g.refund(creds, providerRef!, 1, "USD", "r3")).rejects.toMatchObject({ kind: "permanent" });
    const action = await g.createPayment(creds, input(TEST_CARDS.requiresAction));
    expect(await g.confirm(creds, action.providerRef!)).toMatchObject({ status: "succeeded" });
  });

  it("verifies webhook signatures and refuses tampered bodies", async () => {
    const g = new TestGateway();
    const body = JSON.stringify({ id: "evt_1", type: "payment.succeeded", ref: "test_1", status: "succeeded" });
    const sig = createHmac("sha256", "whsec").update(body).digest("hex");
    const c = { config: {}, secrets: { webhookSecret: "whsec" } };
    expect(await g.verifyWebhook(c, body, { "x-test-signature": sig })).toEqual({ eventId: "evt_1", type: "payment.succeeded", providerRef: "test_1", status: "succeeded" });
    await expect(g.verifyWebhook(c, body.replace("succeeded\"}", "failed\"}"), { "x-test-signature": sig })).rejects.toThrow(/signature/);
    await expect(g.verifyWebhook(c, body, {})).rejects.toThrow(/signature/);
  });
});
