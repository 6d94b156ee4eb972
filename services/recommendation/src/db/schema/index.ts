import { pgTable, text, timestamp } from "drizzle-orm/pg-core";

export const interactions = pgTable("interactions", {
  id: text("id").primaryKey(),
  subject: text("subject").notNull(),
  productId: text("product_id").notNull(),
  kind: text("kind", { enum: ["viewed", "searched", "added", "purchased"] }).notNull(),
  at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
});
