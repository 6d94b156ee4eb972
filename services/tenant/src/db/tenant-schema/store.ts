import { integer, jsonb, pgTable, text, timestamp, check } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";

import type { ThemeTokens } from "@bazaar/contracts";

/** One row per store: what the storefront shows before any product. */
export const storeSettings = pgTable(
  "store_settings",
  {
    id: integer("id").primaryKey().default(1),
    name: text("name").notNull(),
    currency: text("currency").notNull(),
    theme: jsonb("theme").$type<ThemeTokens>().notNull(),
    logoUrl: text("logo_url"),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check("store_settings_single_row", sql`${t.id} = 1`)],
);
