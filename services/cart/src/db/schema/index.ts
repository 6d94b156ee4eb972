import { bigint, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * How far this store's behaviour events staged in Redis have been copied into the outbox: the
 * Redis sequence `epoch` (new whenever Redis lost the counter) and the last sequence number copied.
 * Written in the same transaction as the outbox rows, so a retried drain never enqueues twice.
 */
export const cartEventCursor = pgTable("cart_event_cursor", {
  id: integer("id").primaryKey(),
  epoch: text("epoch").notNull(),
  lastSeq: bigint("last_seq", { mode: "number" }).notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});
