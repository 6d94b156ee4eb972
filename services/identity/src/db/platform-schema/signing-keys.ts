import { jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

/**
 * Token signing keys, shared by every realm (the issuer claim keeps realms apart). The private key
 * is a JWK encrypted with AES-256-GCM under a key derived from the service secret.
 */
export const signingKeys = pgTable("identity_signing_keys", {
  kid: text("kid").primaryKey(),
  alg: text("alg").notNull(),
  publicJwk: jsonb("public_jwk").notNull(),
  privateJwkEnc: text("private_jwk_enc").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  /** Signs from here... */
  activatesAt: timestamp("activates_at", { withTimezone: true }).notNull(),
  /** ...until here; */
  retiresAt: timestamp("retires_at", { withTimezone: true }).notNull(),
  /** and stays in the JWKS until here, so tokens it signed keep verifying. */
  expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
});
