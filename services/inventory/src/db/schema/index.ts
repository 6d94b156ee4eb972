import { integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

export const stockLevels = pgTable("stock_levels", {
  sku: text("sku").primaryKey(),
  onHand: integer("on_hand").notNull().default(0),
  reserved: integer("reserved").notNull().default(0),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});
