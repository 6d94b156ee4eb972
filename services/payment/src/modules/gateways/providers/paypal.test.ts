import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startFake, type FakeRequest } from "./fake-server.ts";
import { toDecimal, toMinor } from "./money.ts";
import { PayPalGateway } from "./paypal.ts";

const creds = { config: { clientId: "client-1", webhookId: "WH-1", mode: "sandbox" }, secrets: { clientSecret: "secret-1" } };
const input = (key: string, token?: string) => ({ paymentId: "pay_1", orderId: "ord_1", amount: 1999, currency: "USD", method: { provider: "paypal" as const, ...(token ? { token } : {}) }, idempotencyKey: key });
const NOW = Date.parse("2026-11-29T00:00:00Z");

/** PayPal as its REST reference describes it: OAuth client credentials, Bearer tokens, PayPal-Request-Id replays. */
function paypalFake() {
  const replies = new Map<string, { status: number; body: unknown }>();
  let captures = 0;
  let tokensIssued = 0;
  const captured = (id: string, value = "19.99") => ({ id, status: "COMPLETED", purchase_units: [{ payments: { captures: [{ id: `CAP-${id}`, status: "COMPLETED", amount: { value, currency_code: "USD" } }] } }] });
  const handler = (req: FakeRequest) => {
    if (req.path === "/v1/oauth2/token") {
      const ok = req.headers.authorization === `Basic ${Buffer.from("client-1:secret-1").toString("base64")}` && req.body === "grant_type=client_credentials";
      if (!ok) return { status: 401, body: { error: "invalid_client" } };
      tokensIssued += 1;
      return { status: 200, body: { access_token: "A21-token", token_type: "Bearer", expires_in: 32400 } };
    }
    if (req.headers.authorization !== "Bearer A21-token") return { status: 401, body: { name: "AUTHENTICATION_FAILURE" } };
    const key = req.headers["paypal-request-id"] as string | undefined;
    if (key && replies.has(`${req.path}|${key}`)) return replies.get(`${req.path}|${key}`)!;
    let out: { status: number; body: unknown };
    const body = req.body ? (JSON.parse(req.body) as Record<string, unknown>) : {};
    if (req.method === "POST" && req.path === "/v2/checkout/orders") {
      const unit = (body.purchase_units as { amount: { value: string } }[])[0]!;
      out = unit.amount.value === "19.99" && body.intent === "CAPTURE" ? { status: 201, body: { id: "ORDER-1", status: "PAYER_ACTION_REQUIRED", links: [{ rel: "payer-action", href: "https://www.sandbox.paypal.com/checkoutnow?token=ORDER-1" }] } } : { status: 400, body: { name: "INVALID_REQUEST" } };
    } else if (req.method === "POST" && req.path === "/v2/checkout/orders/ORDER-DECLINED/capture") {
      out = { status: 422, body: { name: "UNPROCESSABLE_ENTITY", details: [{ issue: "INSTRUMENT_DECLINED", description: "The instrument presented was declined." }] } };
    } else if (req.method === "POST" && req.path === "/v2/checkout/orders/ORDER-BUSY/capture") {
      out = { status: 503, body: { name: "SERVICE_UNAVAILABLE" } };
    } else if (req.method === "POST" && req.path.endsWith("/capture")) {
      captures += 1;
      const id = req.path.split("/")[4]!;
      out = { status: 201, body: captured(id, id === "ORDER-CHEAP" ? "0.01" : "19.99") };
    } else if (req.method === "GET" && req.path === "/v2/checkout/orders/ORDER-1") {
      out = { status: 200, body: captured("ORDER-1") };
    } else if (req.method === "POST" && req.path === "/v2/payments/captures/CAP-ORDER-1/refund") {
      out = { status: 201, body: { id: "REFUND-1", status: "COMPLETED", amount: (body as { amount: unknown }).amount } };
    } else if (req.method === "POST" && req.path === "/v1/notifications/verify-webhook-signature") {
      const good = body.webhook_id === "WH-1" && body.transmission_sig === "good-sig" && (body.webhook_event as { id?: string }).id === "WH-EVT-1";
      out = { status: 200, body: { verification_status: good ? "SUCCESS" : "FAILURE" } };
    } else out = { status: 404, body: { name: "RESOURCE_NOT_FOUND" } };
    if (key) replies.set(`${req.path}|${key}`, out);
    return out;
  };
  return { handler, captures: () => captures, tokensIssued: () => tokensIssued };
}

describe("PayPal adapter against a local fake", () => {
  const fake = paypalFake();
  let server: Awaited<ReturnType<typeof startFake>>;
  let gateway: PayPalGateway;
  beforeAll(async () => {
    server = await startFake(fake.handler);
    gateway = new PayPalGateway({ baseUrl: server.url, now: () => NOW });
  });
  beforeEach(() => void (server.requests.length = 0));
  afterAll(() => server.close());

  it("converts minor units exactly", () => {
    expect([toDecimal(1999, "USD"), toDecimal(5, "USD"), toDecimal(500, "JPY"), toDecimal(1234, "KWD")]).toEqual(["19.99", "0.05", "500", "1.234"]);
    expect([toMinor("19.99", "USD"), toMinor("0.5", "USD"), toMinor("500", "JPY")]).toEqual([1999, 50, 500]);
  });

  it("gets an OAuth token once, creates an order with PayPal-Request-Id, and the shopper must approve it", async () => {
    const result = await gateway.createPayment(creds, input("pay_1:create"));
    expect(result).toEqual({ status: "requires_action", providerRef: "ORDER-1", nextAction: { type: "redirect", url: "https://www.sandbox.paypal.com/checkoutnow?token=ORDER-1" } });
    expect(server.requests.map((r) => r.path)).toEqual(["/v1/oauth2/token", "/v2/checkout/orders"]);
    expect(server.requests[1]!.headers["paypal-request-id"]).toBe("pay_1:create");
    await gateway.createPayment(creds, input("pay_1:create"));
    expect(fake.tokensIssued()).toBe(1);
  });

  it("confirm captures once per request id; an approved token is captured at once and its amount checked", async () => {
    const before = fake.captures();
    expect(await gateway.confirm(creds, "ORDER-1", "pay_1:confirm")).toEqual({ status: "succeeded", providerRef: "ORDER-1" });
    expect(await gateway.confirm(creds, "ORDER-1", "pay_1:confirm")).toEqual({ status: "succeeded", providerRef: "ORDER-1" });
    expect(fake.captures() - before).toBe(1);
    expect(await gateway.createPayment(creds, input("pay_2:create", "ORDER-CHEAP"))).toMatchObject({ status: "failed", failureCode: "amount_mismatch" });
  });

  it("a decline is an answer; a 503 is transient; bad credentials are permanent", async () => {
    expect(await gateway.confirm(creds, "ORDER-DECLINED", "k1")).toMatchObject({ status: "failed", failureCode: "instrument_declined" });
    await expect(gateway.confirm(creds, "ORDER-BUSY", "k2")).rejects.toMatchObject({ kind: "transient", code: "http_503" });
    await expect(new PayPalGateway({ baseUrl: server.url }).createPayment({ ...creds, secrets: { clientSecret: "wrong" } }, input("k3"))).rejects.toMatchObject({ kind: "permanent", code: "http_401" });
  });

  it("refunds the order's capture in the order's currency", async () => {
    expect(await gateway.refund(creds, "ORDER-1", 500, "USD", "pay_1:refund:1")).toEqual({ refundRef: "REFUND-1" });
    const req = server.requests.find((r) => r.path.endsWith("/refund"))!;
    expect(JSON.parse(req.body)).toEqual({ amount: { value: "5.00", currency_code: "USD" } });
    expect(req.headers["paypal-request-id"]).toBe("pay_1:refund:1");
  });

  it("verifies webhooks by PayPal's verify-webhook-signature call; refuses a failed verdict or an old transmission", async () => {
    const event = JSON.stringify({ id: "WH-EVT-1", event_type: "PAYMENT.CAPTURE.COMPLETED", resource: { id: "CAP-1", supplementary_data: { related_ids: { order_id: "ORDER-1" } } } });
    const headers = (sig: string, time = new Date(NOW - 10_000).toISOString()) => ({
      "paypal-transmission-id": "t-1",
      "paypal-transmission-time": time,
      "paypal-transmission-sig": sig,
      "paypal-cert-url": "https://api.sandbox.paypal.com/v1/notifications/certs/CERT-1",
      "paypal-auth-algo": "SHA256withRSA",
    });
    expect(await gateway.verifyWebhook(creds, event, headers("good-sig"))).toEqual({ eventId: "WH-EVT-1", type: "PAYMENT.CAPTURE.COMPLETED", providerRef: "ORDER-1", status: "succeeded" });
    const sent = JSON.parse(server.requests.find((r) => r.path === "/v1/notifications/verify-webhook-signature")!.body);
    expect(sent).toMatchObject({ webhook_id: "WH-1", transmission_id: "t-1", auth_algo: "SHA256withRSA", webhook_event: { id: "WH-EVT-1" } });
    await expect(gateway.verifyWebhook(creds, event, headers("forged"))).rejects.toThrow(/did not verify/);
    await expect(gateway.verifyWebhook(creds, event.replace("WH-EVT-1", "WH-EVT-2"), headers("good-sig"))).rejects.toThrow(/did not verify/);
    await expect(gateway.verifyWebhook(creds, event, headers("good-sig", new Date(NOW - 3_600_000).toISOString()))).rejects.toThrow(/tolerance/);
  });

  it("tests the connection with a fresh token", async () => {
    expect(await gateway.testConnection(creds)).toEqual({ ok: true, detail: "Connected (sandbox)." });
    expect((await gateway.testConnection({ ...creds, secrets: { clientSecret: "nope" } })).ok).toBe(false);
  });
});
