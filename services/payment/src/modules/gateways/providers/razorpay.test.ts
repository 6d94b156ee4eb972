import { createHmac } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import Razorpay from "razorpay";
import { startFake, type FakeRequest } from "./fake-server.ts";
import { RazorpayGateway } from "./razorpay.ts";

const creds = { config: { keyId: "rzp_test_key" }, secrets: { keySecret: "rzp_secret", webhookSecret: "rzp_whsec" } };
const input = (key: string) => ({ paymentId: "pay_1", orderId: "ord_1", amount: 50_000, currency: "INR", method: { provider: "razorpay" as const }, idempotencyKey: key });
const sign = (secret: string, data: string) => createHmac("sha256", secret).update(data).digest("hex");

/** Razorpay as its API reference describes it: Basic auth with key id and secret, JSON bodies, orders found by receipt. */
function razorpayFake() {
  const orders: { id: string; receipt: string; amount: number; currency: string }[] = [];
  const payments = new Map<string, { id: string; order_id: string; status: string; amount: number; currency: string }>();
  const handler = (req: FakeRequest) => {
    if (req.headers.authorization !== `Basic ${Buffer.from("rzp_test_key:rzp_secret").toString("base64")}`) return { status: 401, body: { error: { code: "BAD_REQUEST_ERROR", description: "Authentication failed" } } };
    const url = new URL(req.path, "http://x");
    const body = req.body ? (JSON.parse(req.body) as Record<string, unknown>) : {};
    if (req.method === "GET" && url.pathname === "/v1/orders") {
      const receipt = url.searchParams.get("receipt");
      const items = orders.filter((o) => !receipt || o.receipt === receipt);
      return { status: 200, body: { entity: "collection", count: items.length, items } };
    }
    if (req.method === "POST" && url.pathname === "/v1/orders") {
      if (typeof body.receipt !== "string" || body.receipt.length > 40) return { status: 400, body: { error: { code: "BAD_REQUEST_ERROR", description: "receipt: at most 40 characters" } } };
      const order = { id: `order_${orders.length + 1}`, receipt: body.receipt, amount: body.amount as number, currency: body.currency as string, status: "created" };
      orders.push(order);
      payments.set(`pay_for_${order.id}`, { id: `pay_for_${order.id}`, order_id: order.id, status: "authorized", amount: order.amount, currency: order.currency });
      return { status: 200, body: order };
    }
    const pay = /^\/v1\/payments\/([^/]+)(\/capture|\/refund)?$/.exec(url.pathname);
    if (pay) {
      const p = payments.get(pay[1]!);
      if (!p) return { status: 400, body: { error: { code: "BAD_REQUEST_ERROR", description: "The id provided does not exist" } } };
      if (pay[2] === "/capture") {
        if (body.amount !== p.amount) return { status: 400, body: { error: { code: "BAD_REQUEST_ERROR", description: "Capture amount must be equal to the amount authorized" } } };
        p.status = "captured";
      }
      if (pay[2] === "/refund") return { status: 200, body: { id: "rfnd_1", entity: "refund", amount: body.amount, payment_id: p.id, receipt: body.receipt } };
      return { status: 200, body: p };
    }
    const op = /^\/v1\/orders\/([^/]+)\/payments$/.exec(url.pathname);
    if (op) return { status: 200, body: { entity: "collection", items: [...payments.values()].filter((p) => p.order_id === op[1]) } };
    if (url.pathname === "/v1/busy") return { status: 503, body: {} };
    return { status: 404, body: { error: { code: "BAD_REQUEST_ERROR", description: "no such route" } } };
  };
  return { handler, orders };
}

describe("Razorpay adapter against a local fake", () => {
  const fake = razorpayFake();
  let server: Awaited<ReturnType<typeof startFake>>;
  let gateway: RazorpayGateway;
  beforeAll(async () => {
    server = await startFake(fake.handler);
    gateway = new RazorpayGateway({ baseUrl: server.url });
  });
  beforeEach(() => void (server.requests.length = 0));
  afterAll(() => server.close());

  it("creates an order once per idempotency key (looked up by receipt) and hands Checkout its id", async () => {
    const a = await gateway.createPayment(creds, input("pay_1:create"));
    expect(a).toEqual({ status: "requires_action", providerRef: "order_1", nextAction: { type: "sdk", clientSecret: "order_1" } });
    const b = await gateway.createPayment(creds, input("pay_1:create"));
    expect(b.providerRef).toBe("order_1");
    expect(fake.orders).toHaveLength(1);
    expect(JSON.parse(server.requests.find((r) => r.method === "POST")!.body)).toMatchObject({ amount: 50_000, currency: "INR", notes: { paymentId: "pay_1" } });
  });

  it("confirm verifies the Checkout signature, then captures the authorized payment", async () => {
    const paymentId = "pay_for_order_1";
    expect(await gateway.confirm(creds, "order_1", "k", `${paymentId}:${sign("wrong", `order_1|${paymentId}`)}`)).toMatchObject({ status: "failed", failureCode: "signature_mismatch" });
    expect(server.requests).toHaveLength(0); // a forged signature never reaches Razorpay
    const signature = sign("rzp_secret", `order_1|${paymentId}`);
    // The SDK's own helper agrees with ours on what a right signature is.
    expect(Razorpay.validateWebhookSignature(`order_1|${paymentId}`, signature, "rzp_secret")).toBe(true);
    expect(await gateway.confirm(creds, "order_1", "k", `${paymentId}:${signature}`)).toEqual({ status: "succeeded", providerRef: "order_1" });
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET /v1/payments/${paymentId}`, `POST /v1/payments/${paymentId}/capture`]);
  });

  it("refunds the order's captured payment with a receipt; bad keys are permanent errors", async () => {
    expect(await gateway.refund(creds, "order_1", 10_000, "INR", "pay_1:refund:1")).toEqual({ refundRef: "rfnd_1" });
    expect(JSON.parse(server.requests.at(-1)!.body)).toMatchObject({ amount: 10_000 });
    await expect(gateway.createPayment({ ...creds, secrets: { keySecret: "nope" } }, input("k2"))).rejects.toMatchObject({ kind: "permanent" });
    expect((await gateway.testConnection(creds)).ok).toBe(true);
    expect((await gateway.testConnection({ ...creds, secrets: { keySecret: "nope" } })).ok).toBe(false);
  });

  it("an unreachable API is a transient failure", async () => {
    const down = new RazorpayGateway({ baseUrl: "http://127.0.0.1:9" });
    await expect(down.createPayment(creds, input("k3"))).rejects.toMatchObject({ kind: "transient" });
  });

  it("verifies webhook signatures over the raw body and takes the event id from X-Razorpay-Event-Id", async () => {
    const body = JSON.stringify({ entity: "event", event: "payment.captured", payload: { payment: { entity: { id: "pay_x", order_id: "order_1", status: "captured" } } } });
    const headers = { "x-razorpay-signature": sign("rzp_whsec", body), "x-razorpay-event-id": "evt_rzp_1" };
    expect(await gateway.verifyWebhook(creds, body, headers)).toEqual({ eventId: "evt_rzp_1", type: "payment.captured", providerRef: "order_1", status: "succeeded" });
    await expect(gateway.verifyWebhook(creds, body.replace("order_1", "order_2"), headers)).rejects.toThrow(/signature/);
    await expect(gateway.verifyWebhook(creds, body, { ...headers, "x-razorpay-signature": sign("other", body) })).rejects.toThrow(/signature/);
  });
});
