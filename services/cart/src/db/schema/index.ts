import { pgTable, text, timestamp } from "drizzle-orm/pg-core";

/** Offline cart operations already applied, so a replayed batch has no second effect. */
export const cartOps = pgTable("cart_ops", {
  opId: text("op_id").primaryKey(),
  cartId: text("cart_id").notNull(),
  appliedAt: timestamp("applied_at", { withTimezone: true }).notNull().defaultNow(),
});
