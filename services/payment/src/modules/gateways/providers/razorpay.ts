import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import Razorpay from "razorpay";
import { GatewayError, WebhookRejected, type CreateInput, type Credentials, type PaymentGateway, type ProviderResult, type WebhookEvent, webhookJson } from "../gateway.ts";

export interface RazorpayOptions {
  /** Another API address (tests: a local fake). The SDK has no host option: its HTTP client's base URL is set. */
  baseUrl?: string;
}

interface RzpPayment {
  id: string;
  order_id?: string | null;
  status: string;
  amount: number | string;
  currency: string;
  error_code?: string | null;
  error_description?: string | null;
}

/**
 * Razorpay through the official SDK: Orders, then the shopper pays in Razorpay Checkout, which hands
 * back `razorpay_payment_id` and `razorpay_signature`; confirm verifies that signature
 * (HMAC-SHA256 of `order_id|payment_id` with the key secret) before trusting the payment, then
 * captures it if it is only authorized. Store config: `keyId`; secrets: `keySecret`, `webhookSecret`.
 * Razorpay takes no idempotency header: an order's `receipt` carries a digest of our key and a
 * retry looks the order up by receipt before creating one.
 */
export class RazorpayGateway implements PaymentGateway {
  readonly provider = "razorpay" as const;
  readonly secretFields = ["keySecret"] as const;

  constructor(private readonly opts: RazorpayOptions = {}) {}

  private client(creds: Credentials): Razorpay {
    const keyId = creds.config.keyId;
    const keySecret = creds.secrets.keySecret;
    if (!keyId || !keySecret) throw new GatewayError("permanent", "not_configured", "Razorpay needs a key id and key secret for this store.");
    const rzp = new Razorpay({ key_id: keyId, key_secret: keySecret });
    if (this.opts.baseUrl) (rzp.api as unknown as { rq: { defaults: { baseURL: string } } }).rq.defaults.baseURL = this.opts.baseUrl;
    return rzp;
  }

  async createPayment(creds: Credentials, input: CreateInput): Promise<ProviderResult> {
    return guard(async () => {
      const rzp = this.client(creds);
      const receipt = receiptOf(input.idempotencyKey);
      const found = await rzp.orders.all({ receipt, count: 1 });
      const order = found.items[0] ?? (await rzp.orders.create({ amount: input.amount, currency: input.currency, receipt, notes: { paymentId: input.paymentId, orderId: input.orderId } }));
      return { status: "requires_action", providerRef: order.id, nextAction: { type: "sdk", clientSecret: order.id } };
    });
  }

  /** `token`: `razorpay_payment_id:razorpay_signature` from Razorpay Checkout. */
  async confirm(creds: Credentials, providerRef: string, _idempotencyKey: string, token?: string): Promise<ProviderResult> {
    const [paymentId, signature] = (token ?? "").split(":");
    if (!paymentId || !signature) return { status: "requires_action", providerRef, nextAction: { type: "sdk", clientSecret: providerRef } };
    if (!safeHexEqual(hmac(creds.secrets.keySecret ?? "", `${providerRef}|${paymentId}`), signature)) {
      return { status: "failed", providerRef, failureCode: "signature_mismatch", failureReason: "The payment signature from Razorpay Checkout does not verify." };
    }
    return guard(async () => {
      const rzp = this.client(creds);
      let payment = (await rzp.payments.fetch(paymentId)) as RzpPayment;
      if (payment.order_id !== providerRef) return { status: "failed", providerRef, failureCode: "order_mismatch", failureReason: "The payment belongs to another order." };
      if (payment.status === "authorized") payment = (await rzp.payments.capture(paymentId, payment.amount, payment.currency)) as RzpPayment;
      return fromPayment(providerRef, payment);
    });
  }

  async capture(creds: Credentials, providerRef: string, amount: number): Promise<ProviderResult> {
    return guard(async () => {
      const rzp = this.client(creds);
      const { items } = (await rzp.orders.fetchPayments(providerRef)) as { items: RzpPayment[] };
      const p = items.find((i) => i.status === "authorized" || i.status === "captured");
      if (!p) return { status: "pending", providerRef };
      return fromPayment(providerRef, p.status === "authorized" ? ((await rzp.payments.capture(p.id, amount, p.currency)) as RzpPayment) : p);
    });
  }

  async refund(creds: Credentials, providerRef: string, amount: number, _currency: string, idempotencyKey: string): Promise<{ refundRef: string }> {
    return guard(async () => {
      const rzp = this.client(creds);
      const { items } = (await rzp.orders.fetchPayments(providerRef)) as { items: RzpPayment[] };
      const captured = items.find((i) => i.status === "captured" || i.status === "refunded");
      if (!captured) throw new GatewayError("permanent", "not_captured", "The Razorpay order has no captured payment.");
      const refund = await rzp.payments.refund(captured.id, { amount, receipt: receiptOf(idempotencyKey) });
      return { refundRef: refund.id };
    });
  }

  /** Razorpay orders expire on their own and uncaptured authorizations are released automatically. */
  async void(): Promise<void> {}

  async verifyWebhook(creds: Credentials, rawBody: string, headers: Record<string, string>): Promise<WebhookEvent> {
    const secret = creds.secrets.webhookSecret;
    if (!secret) throw new WebhookRejected("no webhook secret configured");
    // Razorpay's documented check (what `Razorpay.validateWebhookSignature` computes), compared in constant time.
    if (!safeHexEqual(hmac(secret, rawBody), headers["x-razorpay-signature"] ?? "")) throw new WebhookRejected("bad signature");
    const eventId = headers["x-razorpay-event-id"];
    const body = webhookJson<{ event: string; payload: { payment?: { entity?: { order_id?: string } }; order?: { entity?: { id?: string } } } }>(rawBody);
    if (!eventId || typeof body.event !== "string") throw new WebhookRejected("malformed event");
    const ref = body.payload?.payment?.entity?.order_id ?? body.payload?.order?.entity?.id ?? null;
    const status = ({ "payment.captured": "succeeded", "order.paid": "succeeded", "payment.failed": "failed", "refund.processed": "refunded" } as const)[body.event as string];
    return { eventId, type: body.event, providerRef: ref, ...(status ? { status } : {}) };
  }

  async testConnection(creds: Credentials): Promise<{ ok: boolean; detail: string }> {
    try {
      await this.client(creds).orders.all({ count: 1 });
      return { ok: true, detail: "Connected." };
    } catch (err) {
      return { ok: false, detail: describe(err) };
    }
  }
}

const hmac = (secret: string, data: string) => createHmac("sha256", secret).update(data).digest("hex");
/** Razorpay receipts hold at most 40 characters. */
const receiptOf = (key: string) => `bz_${createHash("sha256").update(key).digest("base64url").slice(0, 37)}`;

function safeHexEqual(expected: string, got: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(got);
  return a.length === b.length && timingSafeEqual(a, b);
}

function fromPayment(orderId: string, p: RzpPayment): ProviderResult {
  if (p.status === "captured") return { status: "succeeded", providerRef: orderId };
  if (p.status === "failed") return { status: "failed", providerRef: orderId, failureCode: (p.error_code ?? "payment_failed").toLowerCase(), failureReason: p.error_description ?? "The payment failed." };
  return { status: "pending", providerRef: orderId };
}

function describe(err: unknown): string {
  if (err instanceof Error) return err.message;
  const e = err as { statusCode?: number; error?: { description?: string } };
  return `${e.statusCode ?? "?"} ${e.error?.description ?? "Razorpay error"}`;
}

/** The SDK rejects with `{ statusCode, error: { code, description } }`; without a response (network) with a TypeError. */
async function guard<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof GatewayError) throw err;
    const e = err as { statusCode?: unknown; error?: { code?: string; description?: string } };
    if (typeof e.statusCode !== "number") throw new GatewayError("transient", "network_error", describe(err));
    const transient = e.statusCode >= 500 || e.statusCode === 429;
    throw new GatewayError(transient ? "transient" : "permanent", (e.error?.code ?? `http_${e.statusCode}`).toLowerCase(), describe(err));
  }
}
