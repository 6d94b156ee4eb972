import type { PaymentMethod, PaymentProvider } from "@bazaar/contracts";

/** A store's settings for one gateway, secrets already unsealed. */
export interface Credentials {
  config: Record<string, string>;
  secrets: Record<string, string>;
}

export interface CreateInput {
  paymentId: string;
  orderId: string;
  amount: number;
  currency: string;
  method: PaymentMethod;
  idempotencyKey: string;
}

export interface NextAction {
  type: "redirect" | "sdk";
  url?: string;
  clientSecret?: string;
}

/** What a provider said about a payment. A decline is an answer (status failed), not an exception. */
export interface ProviderResult {
  status: "succeeded" | "requires_action" | "pending" | "failed";
  providerRef: string | null;
  nextAction?: NextAction;
  failureCode?: string;
  failureReason?: string;
}

/** A verified webhook: the provider's event id (for deduplication) and what it says. */
export interface WebhookEvent {
  eventId: string;
  type: string;
  providerRef: string | null;
  status?: "succeeded" | "failed" | "refunded";
}

/**
 * A provider call that failed without an answer. `transient` (network, timeout, 5xx, 429) may be
 * retried with the same idempotency key; `permanent` (bad credentials, 4xx) may not.
 */
export class GatewayError extends Error {
  constructor(
    readonly kind: "transient" | "permanent",
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "GatewayError";
  }
}

/** Thrown when a webhook's signature, timestamp or body does not check out. */
export class WebhookRejected extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WebhookRejected";
  }
}

/** A webhook body as a JSON object; anything else (not JSON, `null`, an array, a number) is rejected, never a crash. */
export function webhookJson<T extends object>(rawBody: string): Partial<T> {
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    throw new WebhookRejected("the body is not JSON");
  }
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw new WebhookRejected("malformed event");
  return body as Partial<T>;
}

/** One gateway behind the strategy registry. Every mutating call carries an idempotency key. */
export interface PaymentGateway {
  readonly provider: PaymentProvider;
  /** Secret fields the store must set (e.g. `secretKey`); the API shows only whether each is set. */
  readonly secretFields: readonly string[];
  createPayment(creds: Credentials, input: CreateInput): Promise<ProviderResult>;
  /** Finish a payment that needed the shopper; `token` is what the provider's browser step returned (PayPal, Razorpay). */
  confirm(creds: Credentials, providerRef: string, idempotencyKey: string, token?: string): Promise<ProviderResult>;
  capture(creds: Credentials, providerRef: string, amount: number, idempotencyKey: string): Promise<ProviderResult>;
  refund(creds: Credentials, providerRef: string, amount: number, currency: string, idempotencyKey: string): Promise<{ refundRef: string }>;
  void(creds: Credentials, providerRef: string, idempotencyKey: string): Promise<void>;
  verifyWebhook(creds: Credentials, rawBody: string, headers: Record<string, string>): Promise<WebhookEvent>;
  testConnection(creds: Credentials): Promise<{ ok: boolean; detail: string }>;
}

/** The strategy registry: provider name -> implementation. */
export class GatewayRegistry {
  private readonly gateways = new Map<PaymentProvider, PaymentGateway>();
  constructor(list: PaymentGateway[]) {
    for (const g of list) this.gateways.set(g.provider, g);
  }
  get(provider: PaymentProvider): PaymentGateway | undefined {
    return this.gateways.get(provider);
  }
  providers(): PaymentProvider[] {
    return [...this.gateways.keys()];
  }
}
