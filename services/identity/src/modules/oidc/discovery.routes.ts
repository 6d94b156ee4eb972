import { createRoute, z } from "@hono/zod-openapi";
import { JsonWebKeySet, OidcDiscovery, Problem, Realm, type OidcDiscovery as Discovery } from "@bazaar/contracts";
import { createRouter } from "@bazaar/service-kit/http";
import type { IdentityCtx } from "../../context.ts";
import { SIGNING_ALG } from "../keys/keys.service.ts";
import { realmOf } from "./realm.ts";

const problem = { "application/problem+json": { schema: Problem } };
const RealmParam = z.object({ realm: Realm });

export function discoveryDocument(issuer: string): Discovery {
  const oidc = `${issuer}/protocol/openid-connect`;
  return {
    issuer,
    authorization_endpoint: `${oidc}/auth`,
    token_endpoint: `${oidc}/token`,
    userinfo_endpoint: `${oidc}/userinfo`,
    jwks_uri: `${oidc}/certs`,
    end_session_endpoint: `${oidc}/logout`,
    grant_types_supported: ["authorization_code", "refresh_token", "password"],
    response_types_supported: ["code"],
    response_modes_supported: ["query", "fragment"],
    subject_types_supported: ["public"],
    id_token_signing_alg_values_supported: [SIGNING_ALG],
    token_endpoint_auth_methods_supported: ["none"],
    code_challenge_methods_supported: ["S256"],
    scopes_supported: ["openid", "profile", "email"],
    claims_supported: ["iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "sid", "azp", "email", "email_verified", "name", "preferred_username"],
    claims_parameter_supported: false,
    request_parameter_supported: false,
    frontchannel_logout_supported: false,
    backchannel_logout_supported: false,
  };
}

/** OIDC discovery and the realm's public keys. */
export function discoveryRoutes(ctx: IdentityCtx) {
  return createRouter()
    .openapi(
      createRoute({
        method: "get",
        path: "/auth/realms/{realm}/.well-known/openid-configuration",
        tags: ["Identity"],
        summary: "OpenID Connect discovery for a realm (a store's slug, or `platform`)",
        request: { params: RealmParam },
        responses: {
          200: { description: "Discovery document", content: { "application/json": { schema: OidcDiscovery } } },
          404: { description: "Unknown realm", content: problem },
        },
      }),
      (c) => c.json(discoveryDocument(realmOf(c, ctx).issuer), 200),
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/auth/realms/{realm}/protocol/openid-connect/certs",
        tags: ["Identity"],
        summary: "The realm's token signing keys (JWKS), retired keys included until their tokens expire",
        request: { params: RealmParam },
        responses: {
          200: { description: "JSON Web Key Set", content: { "application/json": { schema: JsonWebKeySet } } },
          404: { description: "Unknown realm", content: problem },
        },
      }),
      async (c) => c.json((await ctx.keys.jwks()) as z.infer<typeof JsonWebKeySet>, 200, { "cache-control": "public, max-age=60" }),
    );
}
