import { sql } from "drizzle-orm";
import { index, integer, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/** On hand and reserved per SKU and location (CHECKs in the migration: never negative, reserved <= on hand). */
export const stockLevels = pgTable(
  "stock_levels",
  {
    sku: text("sku").notNull(),
    location: text("location").notNull().default("default"),
    onHand: integer("on_hand").notNull().default(0),
    reserved: integer("reserved").notNull().default(0),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: "stock_levels_pkey", columns: [t.sku, t.location] })],
);

/** Every merchant change of a level: who, why, by how much, and the level after it. */
export const stockAdjustments = pgTable(
  "stock_adjustments",
  {
    id: text("id").primaryKey(),
    sku: text("sku").notNull(),
    location: text("location").notNull(),
    kind: text("kind").notNull(),
    delta: integer("delta").notNull(),
    reason: text("reason").notNull(),
    actor: text("actor").notNull(),
    onHand: integer("on_hand").notNull(),
    reserved: integer("reserved").notNull(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("stock_adjustments_sku_at_idx").on(t.sku, t.at.desc())],
);

/** Low-stock threshold per SKU (across its locations). */
export const stockThresholds = pgTable("stock_thresholds", {
  sku: text("sku").primaryKey(),
  threshold: integer("threshold").notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/** One reservation per order id (the idempotency key). */
export const reservations = pgTable(
  "reservations",
  {
    orderId: text("order_id").primaryKey(),
    status: text("status").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("reservations_held_expiry_idx").on(t.expiresAt).where(sql`status = 'held'`)],
);

export const reservationLines = pgTable(
  "reservation_lines",
  {
    orderId: text("order_id").notNull(),
    sku: text("sku").notNull(),
    location: text("location").notNull(),
    quantity: integer("quantity").notNull(),
  },
  (t) => [primaryKey({ name: "reservation_lines_pkey", columns: [t.orderId, t.sku, t.location] })],
);
