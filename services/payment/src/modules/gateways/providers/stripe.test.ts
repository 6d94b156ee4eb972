import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import Stripe from "stripe";
import { callProvider, CircuitBreaker } from "../reliability.ts";
import { startFake, type FakeRequest } from "./fake-server.ts";
import { StripeGateway } from "./stripe.ts";

const SK = "sk_test_fake_123";
const creds = { config: {}, secrets: { secretKey: SK, webhookSecret: "whsec_test" } };
const input = (token: string, key: string) => ({ paymentId: "pay_1", orderId: "ord_1", amount: 1999, currency: "EUR", method: { provider: "stripe" as const, token }, idempotencyKey: key });

/** Stripe as its API reference describes it: form bodies, Bearer auth, Idempotency-Key replays the first answer. */
function stripeFake() {
  const replies = new Map<string, { status: number; body: unknown }>();
  let charges = 0;
  let failNext = 0;
  const intent = (id: string, status: string, amount = 1999) => ({ id, object: "payment_intent", status, amount, currency: "eur", client_secret: `${id}_secret_x`, livemode: false, last_payment_error: null });
  const handler = (req: FakeRequest) => {
    if (req.headers.authorization !== `Bearer ${SK}`) return { status: 401, body: { error: { type: "invalid_request_error", message: "Invalid API Key provided" } } };
    if (failNext > 0) {
      failNext -= 1;
      return { status: 503, body: { error: { type: "api_error", message: "Service unavailable" } } };
    }
    const key = req.headers["idempotency-key"] as string | undefined;
    if (req.method === "POST" && !key) return { status: 400, body: { error: { type: "invalid_request_error", message: "this fake wants an Idempotency-Key on every POST" } } };
    if (key && replies.has(key)) return replies.get(key)!;
    const form = new URLSearchParams(req.body);
    let out: { status: number; body: unknown };
    if (req.method === "POST" && req.path === "/v1/payment_intents") {
      const pm = form.get("payment_method");
      if (form.get("amount") !== "1999" || form.get("currency") !== "eur" || form.get("confirm") !== "true") out = { status: 400, body: { error: { type: "invalid_request_error", message: "bad params" } } };
      else if (pm === "pm_card_chargeDeclined") out = { status: 402, body: { error: { type: "card_error", code: "card_declined", decline_code: "generic_decline", message: "Your card was declined.", payment_intent: intent("pi_declined", "requires_payment_method") } } };
      else if (pm === "pm_card_threeDSecure2Required") out = { status: 200, body: intent("pi_3ds", "requires_action") };
      else {
        charges += 1;
        out = { status: 200, body: intent(`pi_${charges}`, "succeeded") };
      }
    } else if (req.method === "POST" && req.path === "/v1/refunds") {
      out = { status: 200, body: { id: "re_1", object: "refund", amount: Number(form.get("amount")), payment_intent: form.get("payment_intent"), status: "succeeded" } };
    } else if (req.method === "GET" && req.path === "/v1/balance") {
      out = { status: 200, body: { object: "balance", livemode: false, available: [], pending: [] } };
    } else out = { status: 404, body: { error: { type: "invalid_request_error", message: `no route ${req.method} ${req.path}` } } };
    if (key) replies.set(key, out);
    return out;
  };
  return { handler, charges: () => charges, failNext: (n: number) => void (failNext = n) };
}

describe("Stripe adapter against a local fake", () => {
  const fake = stripeFake();
  let server: Awaited<ReturnType<typeof startFake>>;
  let gateway: StripeGateway;
  beforeAll(async () => {
    server = await startFake(fake.handler);
    gateway = new StripeGateway({ baseUrl: server.url });
  });
  beforeEach(() => void (server.requests.length = 0));
  afterAll(() => server.close());

  it("creates and confirms a PaymentIntent with Bearer auth and our idempotency key", async () => {
    expect(await gateway.createPayment(creds, input("pm_card_visa", "pay_1:create"))).toEqual({ status: "succeeded", providerRef: "pi_1" });
    const req = server.requests[0]!;
    expect(req.headers["idempotency-key"]).toBe("pay_1:create");
    expect(new URLSearchParams(req.body).get("metadata[orderId]")).toBe("ord_1");
  });

  it("the same idempotency key twice is one charge", async () => {
    const before = fake.charges();
    const a = await gateway.createPayment(creds, input("pm_card_visa", "pay_2:create"));
    const b = await gateway.createPayment(creds, input("pm_card_visa", "pay_2:create"));
    expect(b).toEqual(a);
    expect(fake.charges() - before).toBe(1);
  });

  it("a decline is an answer; 3-D Secure needs the shopper; bad keys are permanent errors", async () => {
    expect(await gateway.createPayment(creds, input("pm_card_chargeDeclined", "k-decline"))).toMatchObject({ status: "failed", failureCode: "generic_decline", providerRef: "pi_declined" });
    expect(await gateway.createPayment(creds, input("pm_card_threeDSecure2Required", "k-3ds"))).toMatchObject({ status: "requires_action", nextAction: { type: "sdk", clientSecret: "pi_3ds_secret_x" } });
    await expect(gateway.createPayment({ ...creds, secrets: { secretKey: "sk_test_wrong" } }, input("pm_card_visa", "k-auth"))).rejects.toMatchObject({ kind: "permanent" });
  });

  it("a 503 is retried with the same key and charges once", async () => {
    const before = fake.charges();
    fake.failNext(2);
    const attempts: string[] = [];
    const result = await callProvider(() => gateway.createPayment(creds, input("pm_card_visa", "pay_3:create")), {
      breaker: new CircuitBreaker({ threshold: 5, cooldownMs: 1_000 }),
      retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 2, timeoutMs: 5_000 },
      record: (a) => attempts.push(a.outcome),
    });
    expect(result.status).toBe("succeeded");
    expect(attempts).toEqual(["transient", "transient", "ok"]);
    expect(new Set(server.requests.map((r) => r.headers["idempotency-key"]))).toEqual(new Set(["pay_3:create"]));
    expect(fake.charges() - before).toBe(1);
  });

  it("refunds part of a payment with an idempotency key; test connection reads the balance", async () => {
    expect(await gateway.refund(creds, "pi_1", 500, "EUR", "pay_1:refund:a")).toEqual({ refundRef: "re_1" });
    expect(new URLSearchParams(server.requests[0]!.body).get("amount")).toBe("500");
    expect(server.requests[0]!.headers["idempotency-key"]).toBe("pay_1:refund:a");
    expect(await gateway.testConnection(creds)).toMatchObject({ ok: true });
    expect((await gateway.testConnection({ ...creds, secrets: { secretKey: "sk_bad" } })).ok).toBe(false);
  });

  it("verifies webhook signatures with Stripe's helper: right one in, tampered body or old timestamp out", async () => {
    const payload = JSON.stringify({ id: "evt_1", object: "event", type: "payment_intent.succeeded", data: { object: { id: "pi_3ds", object: "payment_intent" } } });
    const sign = (timestamp?: number) => Stripe.webhooks.generateTestHeaderString({ payload, secret: "whsec_test", ...(timestamp ? { timestamp } : {}) });
    expect(await gateway.verifyWebhook(creds, payload, { "stripe-signature": sign() })).toEqual({ eventId: "evt_1", type: "payment_intent.succeeded", providerRef: "pi_3ds", status: "succeeded" });
    await expect(gateway.verifyWebhook(creds, payload.replace("pi_3ds", "pi_999"), { "stripe-signature": sign() })).rejects.toThrow();
    await expect(gateway.verifyWebhook(creds, payload, { "stripe-signature": sign(Math.floor(Date.now() / 1000) - 600) })).rejects.toThrow(/tolerance|timestamp/i);
    await expect(gateway.verifyWebhook({ ...creds, secrets: { ...creds.secrets, webhookSecret: "whsec_other" } }, payload, { "stripe-signature": sign() })).rejects.toThrow();
  });
});
