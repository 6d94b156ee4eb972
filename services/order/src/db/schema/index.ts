import { bigint, bigserial, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/** One order per checkout (idempotency key); `status` is the state machine's, every step stored. */
export const orders = pgTable(
  "orders",
  {
    id: text("id").primaryKey(),
    number: text("number").notNull().unique(),
    status: text("status").notNull(),
    subtotal: bigint("subtotal", { mode: "number" }).notNull().default(0),
    shipping: bigint("shipping", { mode: "number" }).notNull().default(0),
    tax: bigint("tax", { mode: "number" }).notNull().default(0),
    totalAmount: bigint("total_amount", { mode: "number" }).notNull(),
    refundedAmount: bigint("refunded_amount", { mode: "number" }).notNull().default(0),
    currency: text("currency").notNull(),
    email: text("email").notNull().default(""),
    shippingAddress: jsonb("shipping_address").notNull().default({}),
    /** The signed-in shopper (subject), null for a guest. */
    customerId: text("customer_id"),
    idempotencyKey: text("idempotency_key").unique(),
    /** Digest of the checkout request: the same key with another request is refused. */
    requestHash: text("request_hash"),
    cartId: text("cart_id"),
    paymentId: text("payment_id"),
    /** What the shopper paid with, kept only until the payment has an answer (crash recovery resumes with it). */
    paymentMethod: jsonb("payment_method"),
    reason: text("reason"),
    carrier: text("carrier"),
    trackingNumber: text("tracking_number"),
    /** While a checkout step runs, no recovery pass touches the order. */
    leaseUntil: timestamp("lease_until", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("orders_status_idx").on(t.status, t.id), index("orders_customer_idx").on(t.customerId, t.id)],
);

/** Lines copied from the priced cart at checkout. */
export const orderLines = pgTable(
  "order_lines",
  {
    orderId: text("order_id").notNull(),
    position: integer("position").notNull(),
    sku: text("sku").notNull(),
    productId: text("product_id"),
    name: text("name").notNull(),
    unitPrice: bigint("unit_price", { mode: "number" }).notNull(),
    quantity: integer("quantity").notNull(),
    lineTotal: bigint("line_total", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.orderId, t.position] })],
);

/** Every transition of every order: who, when, why. */
export const orderTransitions = pgTable(
  "order_transitions",
  {
    seq: bigserial("seq", { mode: "number" }).primaryKey(),
    orderId: text("order_id").notNull(),
    fromStatus: text("from_status"),
    toStatus: text("to_status").notNull(),
    reason: text("reason"),
    actor: text("actor").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("order_transitions_order_idx").on(t.orderId, t.seq)],
);

/*
 * Order numbers come from the tenant schema's sequence `order_numbers` (from 1001), created by the
 * hand-written migration 0002: drizzle-kit would qualify a declared sequence with the public schema.
 */

/** The store's checkout settings: one row (`id` = 1). */
export const orderSettings = pgTable("order_settings", {
  id: integer("id").primaryKey(),
  flatShipping: bigint("flat_shipping", { mode: "number" }).notNull().default(0),
  taxRateBps: integer("tax_rate_bps").notNull().default(0),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});
