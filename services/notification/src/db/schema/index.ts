import { pgTable, text, timestamp } from "drizzle-orm/pg-core";

export const deliveries = pgTable("deliveries", {
  id: text("id").primaryKey(),
  channel: text("channel", { enum: ["email", "sms", "push"] }).notNull(),
  recipient: text("recipient").notNull(),
  template: text("template").notNull(),
  status: text("status").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});
