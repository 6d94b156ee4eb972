import { boolean, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/** OAuth clients of the realm, seeded at provisioning (storefront, admin). */
export const clients = pgTable("clients", {
  clientId: text("client_id").primaryKey(),
  public: boolean("public_client").notNull().default(true),
  /** Exact URIs, or a prefix ending in `/*`. Also the allowed post-logout redirects. */
  redirectUris: text("redirect_uris").array().notNull().default([]),
  webOrigins: text("web_origins").array().notNull().default([]),
  directAccessGrants: boolean("direct_access_grants").notNull().default(true),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});
