import { boolean, index, integer, jsonb, pgTable, text, timestamp, unique } from "drizzle-orm/pg-core";

/**
 * Every message: one row per (source, template, channel, recipient), so the same event delivered twice
 * makes one message. Rendered content is kept, so a resend sends what the log shows.
 */
export const deliveries = pgTable(
  "deliveries",
  {
    id: text("id").primaryKey(),
    channel: text("channel", { enum: ["email", "sms", "push"] }).notNull(),
    recipient: text("recipient").notNull(),
    template: text("template").notNull(),
    status: text("status").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    source: text("source", { enum: ["event", "campaign"] }).notNull().default("event"),
    sourceId: text("source_id").notNull().default(""),
    sender: text("sender"),
    subject: text("subject"),
    html: text("html"),
    text: text("text"),
    /** Push payload fields (title, body, url) or nothing. */
    data: jsonb("data"),
    headers: jsonb("headers"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }),
    leaseUntil: timestamp("lease_until", { withTimezone: true }),
    lastError: text("last_error"),
    provider: text("provider"),
    providerRef: text("provider_ref"),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("deliveries_once").on(t.sourceId, t.template, t.channel, t.recipient),
    index("deliveries_due_idx").on(t.nextAttemptAt),
    index("deliveries_status_idx").on(t.status, t.id),
  ],
);

/** Each try of a delivery, as the merchant sees it under the message. */
export const deliveryAttempts = pgTable(
  "delivery_attempts",
  {
    id: text("id").primaryKey(),
    deliveryId: text("delivery_id").notNull(),
    attempt: integer("attempt").notNull(),
    outcome: text("outcome").notNull(),
    provider: text("provider").notNull(),
    error: text("error"),
    durationMs: integer("duration_ms").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("delivery_attempts_delivery_idx").on(t.deliveryId)],
);

/**
 * Events taken from the bus, expanded into deliveries by the background job (which may need to read
 * the order first): the consumer only writes here, so a slow or failing provider never holds it up.
 */
export const inboundEvents = pgTable(
  "inbound_events",
  {
    id: text("id").primaryKey(),
    type: text("type").notNull(),
    template: text("template").notNull(),
    aggregateId: text("aggregate_id").notNull(),
    data: jsonb("data").notNull(),
    status: text("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    leaseUntil: timestamp("lease_until", { withTimezone: true }),
    lastError: text("last_error"),
    occurredAt: timestamp("occurred_at", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("inbound_events_pending_idx").on(t.status, t.nextAttemptAt)],
);

/** The store's notification settings: one row (`id = 'store'`); secrets and the VAPID private key sealed. */
export const notificationSettings = pgTable("notification_settings", {
  id: text("id").primaryKey(),
  settings: jsonb("settings").notNull().default({}),
  secrets: jsonb("secrets").notNull().default({}),
  vapidPublicKey: text("vapid_public_key"),
  vapidPrivateKey: text("vapid_private_key"),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/** A store's changes to the shipped templates; a missing row or part means the default. */
export const templates = pgTable("templates", {
  key: text("key").primaryKey(),
  parts: jsonb("parts").notNull().default({}),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/** The dev mailbox: what every channel delivered when no real provider is configured. */
export const mailbox = pgTable(
  "mailbox",
  {
    id: text("id").primaryKey(),
    deliveryId: text("delivery_id").notNull(),
    channel: text("channel").notNull(),
    to: text("to").notNull(),
    from: text("from"),
    subject: text("subject"),
    html: text("html"),
    text: text("text"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("mailbox_to_idx").on(t.to)],
);

/** Browsers' Web Push subscriptions; a signed-in shopper's carry their account and email. */
export const pushSubscriptions = pgTable(
  "push_subscriptions",
  {
    id: text("id").primaryKey(),
    endpoint: text("endpoint").notNull().unique(),
    p256dh: text("p256dh").notNull(),
    auth: text("auth").notNull(),
    accountId: text("account_id"),
    email: text("email"),
    marketing: boolean("marketing").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("push_subscriptions_email_idx").on(t.email)],
);

/** Consent to promotions per shopper address and channel; an unsubscribe link sets it off. */
export const consents = pgTable(
  "consents",
  {
    channel: text("channel").notNull(),
    address: text("address").notNull(),
    optedIn: boolean("opted_in").notNull(),
    source: text("source").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique("consents_pk").on(t.channel, t.address)],
);

export const campaigns = pgTable("campaigns", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  channels: jsonb("channels").notNull(),
  recipients: integer("recipients").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});
