import { index, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/** Refresh tokens by jti. A family is every token rotated from one login; reuse revokes it whole. */
export const refreshTokens = pgTable(
  "refresh_tokens",
  {
    jti: text("jti").primaryKey(),
    familyId: text("family_id").notNull(),
    sessionId: text("session_id").notNull(),
    accountId: text("account_id").notNull(),
    clientId: text("client_id").notNull(),
    scope: text("scope").notNull(),
    nonce: text("nonce"),
    issuedAt: timestamp("issued_at", { withTimezone: true }).notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [index("refresh_tokens_family_idx").on(t.familyId), index("refresh_tokens_session_idx").on(t.sessionId)],
);

/** Authorization codes, stored as a SHA-256 of the code; single use. */
export const authorizationCodes = pgTable("authorization_codes", {
  codeHash: text("code_hash").primaryKey(),
  clientId: text("client_id").notNull(),
  redirectUri: text("redirect_uri").notNull(),
  codeChallenge: text("code_challenge"),
  codeChallengeMethod: text("code_challenge_method"),
  accountId: text("account_id").notNull(),
  sessionId: text("session_id").notNull(),
  scope: text("scope").notNull(),
  nonce: text("nonce"),
  expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  usedAt: timestamp("used_at", { withTimezone: true }),
  /** The refresh-token family issued from this code, revoked if the code is presented again. */
  familyId: text("family_id"),
});

/** Single-use links mailed to people: password reset, email verification, staff invitation. */
export const actionTokens = pgTable(
  "action_tokens",
  {
    id: text("id").primaryKey(),
    tokenHash: text("token_hash").notNull().unique(),
    kind: text("kind", { enum: ["reset_password", "verify_email", "invitation"] }).notNull(),
    accountId: text("account_id"),
    email: text("email"),
    role: text("role"),
    invitedBy: text("invited_by"),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("action_tokens_email_idx").on(t.kind, t.email)],
);
