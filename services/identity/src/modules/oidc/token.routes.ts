import { createRouter, type AppEnv } from "@bazaar/service-kit/http";
import type { Context } from "hono";
import type { IdentityCtx, RealmRef } from "../../context.ts";
import { HTML_HEADERS } from "../../lib/html.ts";
import { findClient, redirectAllowed } from "../clients/clients.service.ts";
import { endSession } from "../sessions/sessions.repo.ts";
import { clearSsoCookie, readSsoCookie } from "../sessions/sso-cookie.ts";
import { NO_STORE, OAuthError } from "../tokens/oauth-error.ts";
import { codeGrant, logoutWithRefreshToken, passwordGrant, refreshGrant, type Form } from "../tokens/tokens.grants.ts";
import { messagePage } from "./pages.ts";
import { oauth, readForm, realmOf, REALM_PATH } from "./realm.ts";

const GRANTS = { password: passwordGrant, authorization_code: codeGrant, refresh_token: refreshGrant } as const;

/** The token endpoint and logout, with Keycloak's paths and semantics. */
export function tokenRoutes(ctx: IdentityCtx) {
  return createRouter()
    .post(`${REALM_PATH}/protocol/openid-connect/token`, (c) =>
      oauth(c, async () => {
        const form = await readForm(c);
        const grantType = form.grant_type;
        if (!grantType) throw new OAuthError("invalid_request", "Missing form parameter: grant_type");
        const grant = Object.hasOwn(GRANTS, grantType) ? GRANTS[grantType as keyof typeof GRANTS] : undefined;
        if (!grant) throw new OAuthError("unsupported_grant_type", "Unsupported grant_type");
        return c.json(await grant(ctx, realmOf(c, ctx), form), 200, NO_STORE);
      }),
    )
    .get(`${REALM_PATH}/protocol/openid-connect/logout`, (c) => browserLogout(c, ctx, c.req.query()))
    .post(`${REALM_PATH}/protocol/openid-connect/logout`, (c) =>
      oauth(c, async () => {
        const form = await readForm(c);
        if (!form.refresh_token) return browserLogout(c, ctx, form);
        // Keycloak's back-channel logout by an app: the session of this refresh token ends.
        await logoutWithRefreshToken(ctx, realmOf(c, ctx), form);
        return c.body(null, 204, NO_STORE);
      }),
    );
}

const page = async (c: Context, ctx: IdentityCtx, ref: RealmRef, status: 200 | 400, title: string, message: string) =>
  c.html(messagePage(title, message, await ctx.storeLook(ref)), status, HTML_HEADERS);

/**
 * RP-initiated logout (OIDC): end the session named by `id_token_hint` (or the browser's SSO
 * cookie), then redirect to `post_logout_redirect_uri` if the client allows it.
 */
async function browserLogout(c: Context<AppEnv>, ctx: IdentityCtx, params: Form): Promise<Response> {
  const ref = realmOf(c, ctx);
  let clientId = params.client_id;
  let sid: string | undefined;
  if (params.id_token_hint) {
    try {
      // An expired id token still names the session to end (as Keycloak accepts it).
      const hint = await ctx.keys.verify(params.id_token_hint, { issuer: ref.issuer, clockTolerance: ctx.settings.lifetimes.ssoMax });
      if (hint.typ !== "ID" || typeof hint.sid !== "string" || typeof hint.azp !== "string") throw new Error("not an id token");
      if (clientId && clientId !== hint.azp) throw new Error("client mismatch");
      sid = hint.sid;
      clientId = hint.azp;
    } catch {
      return page(c, ctx, ref, 400, "Logout failed", "The logout request is not valid.");
    }
  }
  sid ??= readSsoCookie(c, ctx, ref);
  let target: URL | undefined;
  const redirect = params.post_logout_redirect_uri;
  if (redirect) {
    const client = clientId ? await ctx.tenancy.withTenant(ref.tenantId, (tx) => findClient(tx, clientId)) : undefined;
    if (!client || !redirectAllowed(client.redirectUris, redirect)) return page(c, ctx, ref, 400, "Logout failed", "Invalid redirect uri.");
    target = new URL(redirect);
    if (params.state) target.searchParams.set("state", params.state);
  }
  if (sid) await ctx.tenancy.withTenant(ref.tenantId, (tx) => endSession(tx, sid, ctx.clock()));
  clearSsoCookie(c, ref);
  return target ? c.redirect(target.toString(), 302) : page(c, ctx, ref, 200, "Signed out", "You are signed out.");
}
