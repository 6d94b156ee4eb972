import { createHmac, timingSafeEqual } from "node:crypto";
import { GatewayError, WebhookRejected, type CreateInput, type Credentials, type PaymentGateway, type ProviderResult, type WebhookEvent, webhookJson } from "../gateway.ts";

/** API.md's test cards: the card number picks the outcome. */
export const TEST_CARDS = {
  success: "4242424242424242",
  declined: "4000000000000002",
  insufficientFunds: "4000000000009995",
  networkError: "4000000000000119",
  requiresAction: "4000002500003155",
} as const;

const WEBHOOK_STATUSES = ["succeeded", "failed", "refunded"] as const;

interface Charge {
  ref: string;
  amount: number;
  refunded: number;
  status: ProviderResult["status"] | "voided";
}

/**
 * The built-in test gateway: in memory, no credentials. Idempotent like a real provider: the same
 * key returns the first answer and charges once (`charges` counts real charges, for tests).
 * Webhooks are HMAC-SHA256 of the body with the store's `webhookSecret` (default `test` outside production), hex, in
 * `x-test-signature`.
 */
export class TestGateway implements PaymentGateway {
  readonly provider = "test" as const;
  readonly secretFields = [] as const;
  private readonly byKey = new Map<string, ProviderResult>();
  private readonly byRef = new Map<string, Charge>();
  private seq = 0;
  charges = 0;

  /** `defaultWebhookSecret`: what signs webhooks of a store that set none (`test`; none in production, where such webhooks are refused). */
  constructor(private readonly opts: { defaultWebhookSecret?: string | undefined } = { defaultWebhookSecret: "test" }) {}

  async createPayment(_creds: Credentials, input: CreateInput): Promise<ProviderResult> {
    const seen = this.byKey.get(input.idempotencyKey);
    if (seen) return seen;
    const card = input.method.card ?? input.method.token ?? TEST_CARDS.success;
    if (card === TEST_CARDS.networkError) throw new GatewayError("transient", "network_error", "The test gateway did not answer (test card 4000000000000119).");
    const ref = `test_${++this.seq}_${input.paymentId}`;
    let result: ProviderResult;
    if (card === TEST_CARDS.declined) result = { status: "failed", providerRef: ref, failureCode: "card_declined", failureReason: "The card was declined." };
    else if (card === TEST_CARDS.insufficientFunds) result = { status: "failed", providerRef: ref, failureCode: "insufficient_funds", failureReason: "The card has insufficient funds." };
    else if (card === TEST_CARDS.requiresAction) result = { status: "requires_action", providerRef: ref, nextAction: { type: "redirect", url: `https://test-gateway.invalid/3ds/${ref}` } };
    else result = { status: "succeeded", providerRef: ref };
    if (result.status !== "failed") this.charges += 1;
    this.byRef.set(ref, { ref, amount: input.amount, refunded: 0, status: result.status });
    this.byKey.set(input.idempotencyKey, result);
    return result;
  }

  async confirm(_creds: Credentials, providerRef: string): Promise<ProviderResult> {
    const c = this.charge(providerRef);
    if (c.status === "requires_action") c.status = "succeeded";
    return { status: c.status === "voided" ? "failed" : c.status, providerRef };
  }

  async capture(_creds: Credentials, providerRef: string): Promise<ProviderResult> {
    return { status: this.charge(providerRef).status === "succeeded" ? "succeeded" : "failed", providerRef };
  }

  async refund(_creds: Credentials, providerRef: string, amount: number, _currency: string, idempotencyKey: string): Promise<{ refundRef: string }> {
    const c = this.charge(providerRef);
    const key = `refund:${idempotencyKey}`;
    const seen = this.byKey.get(key);
    if (seen) return { refundRef: seen.providerRef ?? "" };
    if (c.refunded + amount > c.amount) throw new GatewayError("permanent", "refund_exceeds_charge", "The refund is larger than what is left of the charge.");
    c.refunded += amount;
    const refundRef = `test_re_${++this.seq}`;
    this.byKey.set(key, { status: "succeeded", providerRef: refundRef });
    return { refundRef };
  }

  async void(_creds: Credentials, providerRef: string): Promise<void> {
    this.charge(providerRef).status = "voided";
  }

  async verifyWebhook(creds: Credentials, rawBody: string, headers: Record<string, string>): Promise<WebhookEvent> {
    const secret = creds.secrets.webhookSecret ?? this.opts.defaultWebhookSecret;
    if (!secret) throw new WebhookRejected("no webhook secret configured");
    const want = createHmac("sha256", secret).update(rawBody).digest();
    const got = Buffer.from(headers["x-test-signature"] ?? "", "hex");
    if (got.length !== want.length || !timingSafeEqual(got, want)) throw new WebhookRejected("bad signature");
    const body = webhookJson<{ id: unknown; type: unknown; ref: unknown; status: unknown }>(rawBody);
    if (typeof body.id !== "string" || typeof body.type !== "string") throw new WebhookRejected("malformed event");
    const status = WEBHOOK_STATUSES.find((s) => s === body.status);
    return { eventId: body.id, type: body.type, providerRef: typeof body.ref === "string" ? body.ref : null, ...(status ? { status } : {}) };
  }

  async testConnection() {
    return { ok: true, detail: "The built-in test gateway is always reachable." };
  }

  private charge(ref: string): Charge {
    const c = this.byRef.get(ref);
    if (!c) throw new GatewayError("permanent", "no_such_payment", `No test payment ${ref}.`);
    return c;
  }
}
