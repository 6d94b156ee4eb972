import { z } from "@hono/zod-openapi";
import { OAuthErrorBody, Realm, TokenRequestForm, TokenResponse, UserInfo } from "@bazaar/contracts";
import { createRouter } from "@bazaar/service-kit/http";

const params = z.object({ realm: Realm });
const oauthError = (description: string) => ({ description, content: { "application/json": { schema: OAuthErrorBody } } });
const oidcPath = (endpoint: string) => `/auth/realms/{realm}/protocol/openid-connect/${endpoint}`;

/**
 * OpenAPI entries for the form-encoded OAuth endpoints. Their handlers parse forms themselves
 * (OAuth's error shape, not problem+json), so they are described here rather than validated.
 */
export function oidcDocs() {
  const router = createRouter();
  router.openAPIRegistry.registerPath({
    method: "post",
    path: oidcPath("token"),
    tags: ["Identity"],
    summary: "Token endpoint (Keycloak's path): password, authorization_code with PKCE, refresh_token",
    request: { params, body: { required: true, content: { "application/x-www-form-urlencoded": { schema: TokenRequestForm } } } },
    responses: {
      200: { description: "Tokens", content: { "application/json": { schema: TokenResponse } } },
      400: oauthError("invalid_request, invalid_grant, unsupported_grant_type"),
      401: oauthError("invalid_client, or invalid_grant for a failed password login"),
    },
  });
  for (const method of ["get", "post"] as const) {
    router.openAPIRegistry.registerPath({
      method,
      path: oidcPath("userinfo"),
      tags: ["Identity"],
      summary: "The signed-in account (Bearer access token of this realm)",
      request: { params },
      responses: { 200: { description: "Claims", content: { "application/json": { schema: UserInfo } } }, 401: oauthError("invalid_token") },
    });
  }
  router.openAPIRegistry.registerPath({
    method: "post",
    path: oidcPath("logout"),
    tags: ["Identity"],
    summary: "End the session of a refresh token (`client_id`, `refresh_token` as a form)",
    request: { params },
    responses: { 204: { description: "Session ended" }, 400: oauthError("invalid_grant") },
  });
  return router;
}
