import { bigint, boolean, index, integer, jsonb, pgTable, text, timestamp, unique } from "drizzle-orm/pg-core";

/** One payment per (order, idempotency key); its status follows the provider's answers and webhooks. */
export const payments = pgTable("payments", {
  id: text("id").primaryKey(),
  orderId: text("order_id").notNull(),
  provider: text("provider").notNull(),
  status: text("status").notNull(),
  amount: bigint("amount", { mode: "number" }).notNull(),
  refundedAmount: bigint("refunded_amount", { mode: "number" }).notNull().default(0),
  currency: text("currency").notNull(),
  idempotencyKey: text("idempotency_key").notNull().unique(),
  providerRef: text("provider_ref"),
  failureCode: text("failure_code"),
  failureReason: text("failure_reason"),
  nextAction: jsonb("next_action"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index("payments_order_idx").on(t.orderId), index("payments_provider_ref_idx").on(t.provider, t.providerRef)]);

/** Every call to a provider, successful or not: what the merchant sees under a payment. */
export const paymentAttempts = pgTable("payment_attempts", {
  id: text("id").primaryKey(),
  paymentId: text("payment_id").notNull(),
  operation: text("operation").notNull(),
  attempt: integer("attempt").notNull(),
  outcome: text("outcome").notNull(),
  code: text("code"),
  detail: text("detail"),
  durationMs: integer("duration_ms").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
}, (t) => [index("payment_attempts_payment_idx").on(t.paymentId)]);

/** The store's gateways; secrets sealed with AES-256-GCM (never returned by the API). */
export const gatewaySettings = pgTable("gateway_settings", {
  provider: text("provider").primaryKey(),
  enabled: boolean("enabled").notNull().default(false),
  isDefault: boolean("is_default").notNull().default(false),
  config: jsonb("config").notNull().default({}),
  secrets: jsonb("secrets").notNull().default({}),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Webhook deliveries seen, keyed by the provider's event id: a redelivery has no second effect. */
export const webhookEvents = pgTable("webhook_events", {
  id: text("id").primaryKey(),
  provider: text("provider").notNull(),
  eventId: text("event_id").notNull(),
  type: text("type").notNull(),
  paymentId: text("payment_id"),
  receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
}, (t) => [unique("webhook_events_provider_event_unique").on(t.provider, t.eventId)]);
