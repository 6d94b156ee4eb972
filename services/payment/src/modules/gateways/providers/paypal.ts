import { GatewayError, WebhookRejected, type CreateInput, type Credentials, type PaymentGateway, type ProviderResult, type WebhookEvent, webhookJson } from "../gateway.ts";
import { toDecimal, toMinor } from "./money.ts";

export interface PayPalOptions {
  /** Another API address (tests: a local fake). Default: sandbox, or live when the store's `mode` is `live`. */
  baseUrl?: string;
  /** Webhook transmission-time tolerance in seconds (default 300). */
  toleranceS?: number;
  now?: () => number;
}

interface Order {
  id: string;
  status: string;
  links?: { rel: string; href: string }[];
  purchase_units?: { amount?: { value: string; currency_code: string }; payments?: { captures?: { id: string; status: string; amount?: { value: string; currency_code: string } }[] } }[];
}

/**
 * PayPal Orders v2 over REST with fetch. Store config: `clientId`, `webhookId`, `mode` (`sandbox` or
 * `live`); secret: `clientSecret`. OAuth client-credentials tokens are cached until shortly before
 * they expire; every mutating call carries `PayPal-Request-Id` (PayPal's idempotency header).
 * Flow: create an order (the shopper approves it with the buttons: `requires_action`), then
 * confirm = capture. A `token` in the payment method is an order already approved in the browser,
 * captured at once (its amount must match).
 */
export class PayPalGateway implements PaymentGateway {
  readonly provider = "paypal" as const;
  readonly secretFields = ["clientSecret"] as const;
  private readonly tokens = new Map<string, { token: string; expiresAt: number }>();

  constructor(private readonly opts: PayPalOptions = {}) {}

  async createPayment(creds: Credentials, input: CreateInput): Promise<ProviderResult> {
    if (input.method.token) return this.captureOrder(creds, input.method.token, input.idempotencyKey, { amount: input.amount, currency: input.currency });
    const order = await this.request<Order>(creds, "POST", "/v2/checkout/orders", {
      body: {
        intent: "CAPTURE",
        purchase_units: [{ reference_id: input.orderId, custom_id: input.paymentId, amount: { currency_code: input.currency, value: toDecimal(input.amount, input.currency) } }],
      },
      requestId: input.idempotencyKey,
    });
    const approve = order.links?.find((l) => l.rel === "payer-action" || l.rel === "approve")?.href;
    return { status: "requires_action", providerRef: order.id, nextAction: { type: approve ? "redirect" : "sdk", ...(approve ? { url: approve } : {}) } };
  }

  async confirm(creds: Credentials, providerRef: string, idempotencyKey: string): Promise<ProviderResult> {
    return this.captureOrder(creds, providerRef, idempotencyKey);
  }

  /** Capture an approved order; with `expect`, an order for another amount is refused (a token is shopper input). */
  private async captureOrder(creds: Credentials, providerRef: string, idempotencyKey: string, expect?: { amount: number; currency: string }): Promise<ProviderResult> {
    try {
      const order = await this.request<Order>(creds, "POST", `/v2/checkout/orders/${encodeURIComponent(providerRef)}/capture`, { body: {}, requestId: idempotencyKey });
      const captured = order.purchase_units?.[0]?.payments?.captures?.[0]?.amount;
      if (expect && captured && (captured.currency_code !== expect.currency || toMinor(captured.value, captured.currency_code) !== expect.amount)) {
        return { status: "failed", providerRef: order.id, failureCode: "amount_mismatch", failureReason: "The approved PayPal order is for another amount." };
      }
      return fromOrder(order);
    } catch (err) {
      if (err instanceof PayPalDecline) return { status: "failed", providerRef, failureCode: err.issue.toLowerCase(), failureReason: err.message };
      throw err;
    }
  }

  async capture(creds: Credentials, providerRef: string, _amount: number, idempotencyKey: string): Promise<ProviderResult> {
    return this.confirm(creds, providerRef, idempotencyKey);
  }

  async refund(creds: Credentials, providerRef: string, amount: number, currency: string, idempotencyKey: string): Promise<{ refundRef: string }> {
    const order = await this.request<Order>(creds, "GET", `/v2/checkout/orders/${encodeURIComponent(providerRef)}`);
    const capture = order.purchase_units?.[0]?.payments?.captures?.[0];
    if (!capture) throw new GatewayError("permanent", "not_captured", "The PayPal order has no capture to refund.");
    const refund = await this.request<{ id: string }>(creds, "POST", `/v2/payments/captures/${encodeURIComponent(capture.id)}/refund`, {
      body: { amount: { value: toDecimal(amount, currency), currency_code: currency } },
      requestId: idempotencyKey,
    });
    return { refundRef: refund.id };
  }

  /** An order that was never captured simply expires at PayPal: nothing to call. */
  async void(): Promise<void> {}

  async verifyWebhook(creds: Credentials, rawBody: string, headers: Record<string, string>): Promise<WebhookEvent> {
    const webhookId = creds.config.webhookId;
    if (!webhookId) throw new WebhookRejected("no webhook id configured");
    const h = (n: string) => headers[`paypal-${n}`] ?? "";
    const sent = Date.parse(h("transmission-time"));
    const now = (this.opts.now ?? Date.now)();
    if (!Number.isFinite(sent) || Math.abs(now - sent) > (this.opts.toleranceS ?? 300) * 1000) throw new WebhookRejected("transmission time outside the tolerance");
    const event = webhookJson<{ id: string; event_type: string; resource: { id?: string; supplementary_data?: { related_ids?: { order_id?: string } } } }>(rawBody);
    // PayPal's documented check: post the headers and the event back to verify-webhook-signature.
    const verdict = await this.request<{ verification_status: string }>(creds, "POST", "/v1/notifications/verify-webhook-signature", {
      body: {
        auth_algo: h("auth-algo"),
        cert_url: h("cert-url"),
        transmission_id: h("transmission-id"),
        transmission_sig: h("transmission-sig"),
        transmission_time: h("transmission-time"),
        webhook_id: webhookId,
        webhook_event: event,
      },
    });
    if (verdict.verification_status !== "SUCCESS") throw new WebhookRejected("PayPal did not verify the signature");
    if (typeof event.id !== "string" || typeof event.event_type !== "string") throw new WebhookRejected("malformed event");
    const ref = event.resource?.supplementary_data?.related_ids?.order_id ?? (event.event_type.startsWith("CHECKOUT.ORDER.") ? event.resource?.id : undefined) ?? null;
    const status = ({ "PAYMENT.CAPTURE.COMPLETED": "succeeded", "PAYMENT.CAPTURE.DENIED": "failed", "PAYMENT.CAPTURE.REFUNDED": "refunded" } as const)[event.event_type as string];
    return { eventId: event.id, type: event.event_type, providerRef: ref, ...(status ? { status } : {}) };
  }

  async testConnection(creds: Credentials): Promise<{ ok: boolean; detail: string }> {
    try {
      await this.token(creds, true);
      return { ok: true, detail: `Connected (${creds.config.mode === "live" ? "live" : "sandbox"}).` };
    } catch (err) {
      return { ok: false, detail: err instanceof Error ? err.message : String(err) };
    }
  }

  private base(creds: Credentials): string {
    return this.opts.baseUrl ?? (creds.config.mode === "live" ? "https://api-m.paypal.com" : "https://api-m.sandbox.paypal.com");
  }

  private async token(creds: Credentials, fresh = false): Promise<string> {
    const { clientId } = creds.config;
    const secret = creds.secrets.clientSecret;
    if (!clientId || !secret) throw new GatewayError("permanent", "not_configured", "PayPal needs a client id and secret for this store.");
    const key = `${this.base(creds)}|${clientId}`;
    const cached = this.tokens.get(key);
    if (!fresh && cached && cached.expiresAt > Date.now()) return cached.token;
    const res = await fetch(`${this.base(creds)}/v1/oauth2/token`, {
      method: "POST",
      headers: { authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString("base64")}`, "content-type": "application/x-www-form-urlencoded" },
      body: "grant_type=client_credentials",
    });
    if (!res.ok) throw httpError(res.status, "oauth", await res.text());
    const body = (await res.json()) as { access_token: string; expires_in: number };
    this.tokens.set(key, { token: body.access_token, expiresAt: Date.now() + Math.max(0, body.expires_in - 60) * 1000 });
    return body.access_token;
  }

  private async request<T>(creds: Credentials, method: string, path: string, opts: { body?: unknown; requestId?: string } = {}, retried = false): Promise<T> {
    const token = await this.token(creds);
    const res = await fetch(`${this.base(creds)}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        "content-type": "application/json",
        prefer: "return=representation",
        ...(opts.requestId ? { "paypal-request-id": opts.requestId } : {}),
      },
      ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
    });
    if (res.status === 401 && !retried) {
      this.tokens.clear();
      return this.request(creds, method, path, opts, true);
    }
    const text = await res.text();
    if (res.status === 422) {
      const issue = (JSON.parse(text || "{}") as { details?: { issue?: string; description?: string }[] }).details?.[0];
      if (issue?.issue === "INSTRUMENT_DECLINED" || issue?.issue === "PAYER_ACTION_REQUIRED" || issue?.issue === "TRANSACTION_REFUSED") throw new PayPalDecline(issue.issue, issue.description ?? "PayPal declined the payment.");
    }
    if (!res.ok) throw httpError(res.status, path, text);
    return (text ? JSON.parse(text) : {}) as T;
  }
}

class PayPalDecline extends Error {
  constructor(
    readonly issue: string,
    message: string,
  ) {
    super(message);
  }
}

function httpError(status: number, what: string, text: string): GatewayError {
  const transient = status >= 500 || status === 429 || status === 408;
  return new GatewayError(transient ? "transient" : "permanent", `http_${status}`, `PayPal ${what}: ${status} ${text.slice(0, 200)}`);
}

function fromOrder(order: Order): ProviderResult {
  const unit = order.purchase_units?.[0];
  const capture = unit?.payments?.captures?.[0];
  if (order.status === "COMPLETED" && capture?.status === "COMPLETED") {
    return { status: "succeeded", providerRef: order.id };
  }
  if (capture?.status === "DECLINED" || capture?.status === "FAILED") return { status: "failed", providerRef: order.id, failureCode: "capture_declined", failureReason: "PayPal declined the capture." };
  return { status: "pending", providerRef: order.id };
}
