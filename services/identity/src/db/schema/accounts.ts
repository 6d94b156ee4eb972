import { boolean, index, integer, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/** A realm's accounts. Emails are stored lowercase, so the unique constraint is case-insensitive. */
export const accounts = pgTable("accounts", {
  id: text("id").primaryKey(),
  email: text("email").notNull().unique(),
  name: text("name"),
  /** argon2id PHC string; null for an account that has not set a password yet. */
  passwordHash: text("password_hash"),
  roles: text("roles").array().notNull().default([]),
  emailVerified: boolean("email_verified").notNull().default(false),
  failedLogins: integer("failed_logins").notNull().default(0),
  lockedUntil: timestamp("locked_until", { withTimezone: true }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * One login: what refresh tokens, SSO cookies and `sid` claims point at. Tenant tables carry no
 * foreign keys: drizzle-kit would qualify them with "public". (CONVENTIONS.md #8).
 */
export const sessions = pgTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull(),
    authTime: timestamp("auth_time", { withTimezone: true }).notNull(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull(),
    /** The session's hard end (SSO session max); idle expiry is carried by the refresh tokens. */
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    endedAt: timestamp("ended_at", { withTimezone: true }),
  },
  (t) => [index("sessions_account_idx").on(t.accountId)],
);
