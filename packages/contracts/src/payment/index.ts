import { z } from "zod";
import { CurrencyCode } from "../common/index.ts";
import { defineEvent } from "../events/envelope.ts";

/** The gateways the payment service knows; `test` is built in. */
export const PaymentProvider = z.enum(["test", "stripe", "paypal", "razorpay"]);
export type PaymentProvider = z.infer<typeof PaymentProvider>;

export const PaymentStatus = z.enum(["pending", "requires_action", "succeeded", "failed", "refunded", "partially_refunded", "voided"]);
export type PaymentStatus = z.infer<typeof PaymentStatus>;

const Amount = z.number().int("minor units: a whole number").min(1).max(100_000_000_000);
const IdempotencyKey = z.string().min(8).max(200).regex(/^[\x21-\x7e]+$/, "printable ASCII without spaces");

/**
 * How the shopper pays: `{ provider: "test", card }` for the built-in test gateway, `{ provider, token }`
 * (tokenised in the browser) for real gateways. Without a provider, the store's default gateway is used.
 */
export const PaymentMethod = z.object({
  provider: PaymentProvider.optional(),
  card: z.string().regex(/^[0-9]{12,19}$/, "digits only").optional(),
  token: z.string().min(1).max(500).optional(),
});
export type PaymentMethod = z.infer<typeof PaymentMethod>;

/** `POST /internal/payments`: take a payment for an order. */
export const CreatePaymentBody = z.object({
  orderId: z.string().min(1).max(100),
  amount: Amount,
  currency: CurrencyCode,
  method: PaymentMethod,
  idempotencyKey: IdempotencyKey,
});
export type CreatePaymentBody = z.infer<typeof CreatePaymentBody>;

/** `POST /internal/payments/{id}/confirm`: what the provider's browser step returned, if anything. */
export const ConfirmBody = z.object({ token: z.string().min(1).max(2000).optional() });
export type ConfirmBody = z.infer<typeof ConfirmBody>;

export const RefundBody = z.object({ amount: Amount.optional(), idempotencyKey: IdempotencyKey.optional() });
export type RefundBody = z.infer<typeof RefundBody>;

export const NextAction = z.object({ type: z.enum(["redirect", "sdk"]), url: z.string().optional(), clientSecret: z.string().optional() });

export const Payment = z.object({
  id: z.string(),
  orderId: z.string(),
  provider: PaymentProvider,
  status: PaymentStatus,
  amount: z.number().int(),
  refundedAmount: z.number().int(),
  currency: z.string(),
  providerRef: z.string().nullable(),
  failureCode: z.string().nullable(),
  failureReason: z.string().nullable(),
  nextAction: NextAction.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Payment = z.infer<typeof Payment>;

export const PaymentAttempt = z.object({
  id: z.string(),
  operation: z.string(),
  attempt: z.number().int(),
  outcome: z.enum(["ok", "declined", "transient", "error", "circuit_open"]),
  code: z.string().nullable(),
  detail: z.string().nullable(),
  durationMs: z.number().int(),
  createdAt: z.string(),
});
export type PaymentAttempt = z.infer<typeof PaymentAttempt>;

export const PaymentDetail = Payment.extend({ attempts: z.array(PaymentAttempt) });
export type PaymentDetail = z.infer<typeof PaymentDetail>;

export const PaymentList = z.object({ items: z.array(Payment), nextCursor: z.string().nullable() });
export type PaymentList = z.infer<typeof PaymentList>;

/** A gateway's settings as the merchant reads them: secrets never leave, only which are set. */
export const GatewaySettings = z.object({
  provider: PaymentProvider,
  enabled: z.boolean(),
  isDefault: z.boolean(),
  /** Public values (publishable keys, client ids, mode). */
  config: z.record(z.string(), z.string()),
  /** For each secret field: set or not, and its last 4 characters. */
  secrets: z.record(z.string(), z.object({ set: z.boolean(), last4: z.string().nullable() })),
  updatedAt: z.string().nullable(),
});
export type GatewaySettings = z.infer<typeof GatewaySettings>;

export const GatewayList = z.object({ items: z.array(GatewaySettings) });

const FieldName = z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]{0,59}$/, "a field name: letters, digits, _");

/** `PUT /admin/payment-gateways/{provider}`: secrets are write-only; an empty string clears one. */
export const PutGatewayBody = z.object({
  enabled: z.boolean().optional(),
  isDefault: z.boolean().optional(),
  config: z.record(FieldName, z.string().max(500)).optional(),
  secrets: z.record(FieldName, z.string().max(2000)).optional(),
});
export type PutGatewayBody = z.infer<typeof PutGatewayBody>;

export const GatewayTestResult = z.object({ ok: z.boolean(), detail: z.string() });

const paymentEvent = z.object({
  paymentId: z.string(),
  orderId: z.string(),
  provider: PaymentProvider,
  amount: z.number().int(),
  currency: z.string(),
  reason: z.string().optional(),
});

export const PaymentEvents = {
  succeeded: defineEvent({ type: "payment.payment.succeeded", version: 1, topic: "payments", schema: paymentEvent }),
  failed: defineEvent({ type: "payment.payment.failed", version: 1, topic: "payments", schema: paymentEvent }),
  refunded: defineEvent({
    type: "payment.payment.refunded",
    version: 1,
    topic: "payments",
    /** `source`: `api` for refunds asked through the payment service (the order service applies those itself), `provider` for ones the provider reported (a dashboard refund). */
    schema: paymentEvent.extend({ refundedAmount: z.number().int(), source: z.enum(["api", "provider"]).optional() }),
  }),
};
