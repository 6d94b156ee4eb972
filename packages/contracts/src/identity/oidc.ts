import { z } from "zod";

/**
 * The realm `platform` (operators) is a pseudo-tenant with this fixed id: its accounts live in the
 * identity service's tenant schema for it, provisioned by the identity service itself.
 */
export const PLATFORM_TENANT_ID = "ten_00000000000000000000000000";

/** A successful answer of the token endpoint (RFC 6749 5.1, with Keycloak's extra fields). */
export const TokenResponse = z.object({
  access_token: z.string(),
  token_type: z.literal("Bearer"),
  expires_in: z.number().int(),
  refresh_token: z.string(),
  refresh_expires_in: z.number().int(),
  id_token: z.string().optional(),
  scope: z.string(),
  session_state: z.string(),
  "not-before-policy": z.number().int().optional(),
});
export type TokenResponse = z.infer<typeof TokenResponse>;

/** OAuth errors keep OAuth's shape (RFC 6749 5.2), not problem+json: OAuth clients parse it. */
export const OAuthErrorBody = z.object({ error: z.string(), error_description: z.string().optional() });
export type OAuthErrorBody = z.infer<typeof OAuthErrorBody>;

export const UserInfo = z.object({
  sub: z.string(),
  email: z.string().optional(),
  email_verified: z.boolean().optional(),
  name: z.string().optional(),
  preferred_username: z.string().optional(),
  realm_access: z.object({ roles: z.array(z.string()) }).optional(),
});
export type UserInfo = z.infer<typeof UserInfo>;

export const JsonWebKeySet = z.object({
  keys: z.array(z.object({ kty: z.string(), kid: z.string(), alg: z.string(), use: z.string() }).catchall(z.unknown())),
});

export const OidcDiscovery = z
  .object({
    issuer: z.string().url(),
    authorization_endpoint: z.string().url(),
    token_endpoint: z.string().url(),
    userinfo_endpoint: z.string().url(),
    jwks_uri: z.string().url(),
    end_session_endpoint: z.string().url(),
    grant_types_supported: z.array(z.string()),
    response_types_supported: z.array(z.string()),
    response_modes_supported: z.array(z.string()),
    subject_types_supported: z.array(z.string()),
    id_token_signing_alg_values_supported: z.array(z.string()),
    token_endpoint_auth_methods_supported: z.array(z.string()),
    code_challenge_methods_supported: z.array(z.string()),
    scopes_supported: z.array(z.string()),
    claims_supported: z.array(z.string()),
  })
  .catchall(z.unknown());
export type OidcDiscovery = z.infer<typeof OidcDiscovery>;

/** The token endpoint's form fields (`application/x-www-form-urlencoded`), per grant type. */
export const TokenRequestForm = z.object({
  grant_type: z.enum(["password", "authorization_code", "refresh_token"]),
  client_id: z.string(),
  username: z.string().optional().describe("password grant: the account's email"),
  password: z.string().optional().describe("password grant"),
  scope: z.string().optional().describe("`openid` adds an id_token"),
  code: z.string().optional().describe("authorization_code grant"),
  redirect_uri: z.string().optional().describe("authorization_code grant: as sent to /auth"),
  code_verifier: z.string().optional().describe("authorization_code grant: PKCE (S256), required for public clients"),
  refresh_token: z.string().optional().describe("refresh_token grant; each refresh token works once"),
});
