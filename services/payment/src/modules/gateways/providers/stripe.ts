import Stripe from "stripe";
import { GatewayError, WebhookRejected, type CreateInput, type Credentials, type PaymentGateway, type ProviderResult, type WebhookEvent } from "../gateway.ts";

export interface StripeOptions {
  /** Another API address (tests: a local fake), e.g. `http://127.0.0.1:12111`. Never from store settings. */
  baseUrl?: string;
  /** Webhook timestamp tolerance in seconds (Stripe's default: 300). */
  toleranceS?: number;
}

/**
 * Stripe PaymentIntents through the official SDK. Store secrets: `secretKey`, `webhookSecret`;
 * config: `publishableKey` (public). The SDK's own retries are off: ours (with the breaker) decide,
 * and every call carries our idempotency key, so a retried create never charges twice.
 */
export class StripeGateway implements PaymentGateway {
  readonly provider = "stripe" as const;
  readonly secretFields = ["secretKey"] as const;

  constructor(private readonly opts: StripeOptions = {}) {}

  private client(creds: Credentials): Stripe {
    const key = creds.secrets.secretKey;
    if (!key) throw new GatewayError("permanent", "not_configured", "Stripe has no secret key for this store.");
    const url = this.opts.baseUrl ? new URL(this.opts.baseUrl) : undefined;
    return new Stripe(key, {
      maxNetworkRetries: 0,
      timeout: 15_000,
      telemetry: false,
      ...(url ? { host: url.hostname, port: url.port, protocol: url.protocol.replace(":", "") as "http" | "https" } : {}),
    });
  }

  async createPayment(creds: Credentials, input: CreateInput): Promise<ProviderResult> {
    if (!input.method.token) throw new GatewayError("permanent", "missing_payment_method", "Stripe needs a payment method token from the browser.");
    return guard(async () => {
      const intent = await this.client(creds).paymentIntents.create(
        {
          amount: input.amount,
          currency: input.currency.toLowerCase(),
          payment_method: input.method.token,
          confirm: true,
          automatic_payment_methods: { enabled: true, allow_redirects: "never" },
          metadata: { paymentId: input.paymentId, orderId: input.orderId },
        },
        { idempotencyKey: input.idempotencyKey },
      );
      return fromIntent(intent);
    });
  }

  async confirm(creds: Credentials, providerRef: string, idempotencyKey: string): Promise<ProviderResult> {
    return guard(async () => {
      const stripe = this.client(creds);
      const intent = await stripe.paymentIntents.retrieve(providerRef);
      // After the shopper's 3-D Secure step in the browser the intent has moved on; only confirm if it still waits for us.
      if (intent.status !== "requires_confirmation") return fromIntent(intent);
      return fromIntent(await stripe.paymentIntents.confirm(providerRef, {}, { idempotencyKey }));
    });
  }

  async capture(creds: Credentials, providerRef: string, amount: number, idempotencyKey: string): Promise<ProviderResult> {
    return guard(async () => fromIntent(await this.client(creds).paymentIntents.capture(providerRef, { amount_to_capture: amount }, { idempotencyKey })));
  }

  async refund(creds: Credentials, providerRef: string, amount: number, _currency: string, idempotencyKey: string): Promise<{ refundRef: string }> {
    return guard(async () => {
      const refund = await this.client(creds).refunds.create({ payment_intent: providerRef, amount }, { idempotencyKey });
      return { refundRef: refund.id };
    }, false);
  }

  async void(creds: Credentials, providerRef: string, idempotencyKey: string): Promise<void> {
    await guard(() => this.client(creds).paymentIntents.cancel(providerRef, {}, { idempotencyKey }), false);
  }

  async verifyWebhook(creds: Credentials, rawBody: string, headers: Record<string, string>): Promise<WebhookEvent> {
    const secret = creds.secrets.webhookSecret;
    if (!secret) throw new WebhookRejected("no webhook secret configured");
    let event: Stripe.Event;
    try {
      // The SDK's official helper: HMAC-SHA256 over `${t}.${body}`, constant-time compare, timestamp tolerance.
      event = new Stripe(creds.secrets.secretKey ?? "sk_unused", {}).webhooks.constructEvent(rawBody, headers["stripe-signature"] ?? "", secret, this.opts.toleranceS ?? 300);
    } catch (err) {
      throw new WebhookRejected((err as Error).message);
    }
    const object = event.data.object as { id?: string; object?: string; payment_intent?: string | { id: string } | null };
    const ref = object.object === "payment_intent" ? (object.id ?? null) : typeof object.payment_intent === "string" ? object.payment_intent : (object.payment_intent?.id ?? null);
    const status = ({ "payment_intent.succeeded": "succeeded", "payment_intent.payment_failed": "failed", "charge.refunded": "refunded" } as const)[event.type as string];
    return { eventId: event.id, type: event.type, providerRef: ref, ...(status ? { status } : {}) };
  }

  async testConnection(creds: Credentials): Promise<{ ok: boolean; detail: string }> {
    try {
      const balance = await this.client(creds).balance.retrieve();
      return { ok: true, detail: `Connected (${balance.livemode ? "live" : "test"} mode).` };
    } catch (err) {
      return { ok: false, detail: err instanceof Error ? err.message : String(err) };
    }
  }
}

function fromIntent(intent: Stripe.PaymentIntent): ProviderResult {
  switch (intent.status) {
    case "succeeded":
      return { status: "succeeded", providerRef: intent.id };
    case "requires_action":
    case "requires_confirmation":
      return { status: "requires_action", providerRef: intent.id, nextAction: { type: "sdk", ...(intent.client_secret ? { clientSecret: intent.client_secret } : {}) } };
    case "requires_payment_method": {
      const e = intent.last_payment_error;
      return { status: "failed", providerRef: intent.id, failureCode: e?.decline_code ?? e?.code ?? "payment_failed", failureReason: e?.message ?? "The payment method was not accepted." };
    }
    case "canceled":
      return { status: "failed", providerRef: intent.id, failureCode: "canceled", failureReason: "The payment was canceled." };
    default:
      return { status: "pending", providerRef: intent.id };
  }
}

/** Stripe's errors sorted: a card error is a decline (an answer), 429/5xx/connection are transient, the rest permanent. */
async function guard<T>(fn: () => Promise<T>, declineIsAnswer = true): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (!(err instanceof Stripe.errors.StripeError)) throw err;
    if (declineIsAnswer && err instanceof Stripe.errors.StripeCardError) {
      const intent = (err.raw as { payment_intent?: { id?: string } } | undefined)?.payment_intent;
      return { status: "failed", providerRef: intent?.id ?? null, failureCode: err.decline_code ?? err.code ?? "card_declined", failureReason: err.message } as T;
    }
    const transient = err instanceof Stripe.errors.StripeConnectionError || err instanceof Stripe.errors.StripeRateLimitError || err instanceof Stripe.errors.StripeAPIError || (err.statusCode ?? 0) >= 500;
    throw new GatewayError(transient ? "transient" : "permanent", err.code ?? err.type, err.message);
  }
}
