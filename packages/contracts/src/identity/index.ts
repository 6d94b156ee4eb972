import { z } from "zod";
import { TenantId, TenantSlug } from "../common/index.ts";
import { defineEvent } from "../events/envelope.ts";

/** Realms: one per store (named by its slug) plus `platform` for operators. */
export const PLATFORM_REALM = "platform";
export const Realm = z.union([TenantSlug, z.literal(PLATFORM_REALM)]);

export const Role = z.enum(["shopper", "owner", "manager", "viewer", "operator"]);
export type Role = z.infer<typeof Role>;
export const STAFF_ROLES = ["owner", "manager", "viewer"] as const satisfies Role[];

/** Audience every Bazaar access token carries (the gateway refuses others). */
export const API_AUDIENCE = "bazaar-api";

/** Access-token claims, Keycloak-shaped (realm_access.roles) so a real Keycloak can issue them too. */
export const AccessTokenClaims = z.object({
  iss: z.string().url(),
  sub: z.string().min(1),
  aud: z.union([z.string(), z.array(z.string())]),
  azp: z.string().optional(),
  exp: z.number().int(),
  iat: z.number().int(),
  nbf: z.number().int().optional(),
  jti: z.string().optional(),
  sid: z.string().optional(),
  typ: z.string().optional(),
  scope: z.string().optional(),
  realm_access: z.object({ roles: z.array(z.string()) }).default({ roles: [] }),
  email: z.string().optional(),
  email_verified: z.boolean().optional(),
  preferred_username: z.string().optional(),
  name: z.string().optional(),
});
export type AccessTokenClaims = z.infer<typeof AccessTokenClaims>;

/** Who is calling, as the gateway forwards it to services (signed). */
export const IdentityContext = z.object({
  sub: z.string().min(1).max(200),
  realm: Realm,
  roles: z.array(Role),
  clientId: z.string().max(100).optional(),
  email: z.string().max(320).optional(),
});
export type IdentityContext = z.infer<typeof IdentityContext>;

/** Internal: create or update an account with a password (seeding, tests, operator set-up). */
export const UpsertAccountBody = z.object({
  email: z.email().max(320),
  password: z.string().min(8).max(256),
  roles: z.array(Role).min(1),
  name: z.string().max(200).optional(),
  emailVerified: z.boolean().default(true),
});

export const Account = z.object({
  id: z.string(),
  realm: Realm,
  email: z.string(),
  name: z.string().nullable(),
  roles: z.array(Role),
  emailVerified: z.boolean(),
  createdAt: z.string(),
});
export type Account = z.infer<typeof Account>;

export const IdentityEvents = {
  accountRegistered: defineEvent({
    type: "identity.account.registered",
    version: 1,
    topic: "tenants",
    schema: z.object({ accountId: z.string(), email: z.string(), roles: z.array(Role) }),
  }),
  passwordResetRequested: defineEvent({
    type: "identity.password.reset_requested",
    version: 1,
    topic: "tenants",
    schema: z.object({ accountId: z.string(), email: z.string(), resetUrl: z.string().url(), expiresAt: z.string() }),
  }),
  emailVerificationRequested: defineEvent({
    type: "identity.email.verification_requested",
    version: 1,
    topic: "tenants",
    schema: z.object({ accountId: z.string(), email: z.string(), verifyUrl: z.string().url(), expiresAt: z.string() }),
  }),
  staffInvited: defineEvent({
    type: "identity.staff.invited",
    version: 1,
    topic: "tenants",
    schema: z.object({ email: z.string(), role: z.enum(STAFF_ROLES), inviteUrl: z.string().url(), invitedBy: z.string().nullable(), expiresAt: z.string() }),
  }),
};

export { TenantId };
export * from "./oidc.ts";
