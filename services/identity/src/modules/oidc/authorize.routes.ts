import { PLATFORM_REALM } from "@bazaar/contracts";
import { createRouter, type AppEnv } from "@bazaar/service-kit/http";
import { createCsrf, CSRF_FIELD, type Csrf } from "../account-pages/csrf.ts";
import type { Context } from "hono";
import type { IdentityCtx, RealmRef } from "../../context.ts";
import { HTML_HEADERS } from "../../lib/html.ts";
import { findAccount, type AccountRow } from "../accounts/accounts.repo.ts";
import { authenticate } from "../accounts/accounts.service.ts";
import { findActiveSession, touchSession, type SessionRow } from "../sessions/sessions.repo.ts";
import { readSsoCookie, setSsoCookie } from "../sessions/sso-cookie.ts";
import { INVALID_CREDENTIALS } from "../tokens/oauth-error.ts";
import { startSession } from "../tokens/tokens.grants.ts";
import { callbackUrl, checkAuthRequest, issueCode, type AuthRequest } from "./authorize.service.ts";
import { loginPage, messagePage } from "./pages.ts";
import { realmOf, REALM_PATH } from "./realm.ts";

const AUTH_PATH = `${REALM_PATH}/protocol/openid-connect/auth`;

/**
 * The authorization endpoint. GET validates the request and signs in from the SSO cookie or shows
 * the login form; the form POSTs to the same URL (query kept), and a good password redirects to
 * the client with a code.
 */
export function authorizeRoutes(ctx: IdentityCtx) {
  // Login CSRF: a form posted from another site could sign the browser in as someone else.
  const csrf = createCsrf({ key: ctx.secrets.csrf, clock: ctx.clock, secure: ctx.settings.publicUrl.startsWith("https:") });
  return createRouter()
    .get(AUTH_PATH, (c) => authorize(c, ctx, csrf, "show"))
    .post(AUTH_PATH, (c) => authorize(c, ctx, csrf, "submit"));
}

async function authorize(c: Context<AppEnv>, ctx: IdentityCtx, csrf: Csrf, step: "show" | "submit"): Promise<Response> {
  const ref = realmOf(c, ctx);
  const url = new URL(c.req.url);
  const check = await checkAuthRequest(ctx, ref, url.searchParams);
  if (check.kind === "page") return c.html(messagePage("We are sorry...", check.message, await ctx.storeLook(ref)), 400, HTML_HEADERS);
  if (check.kind === "redirect") return c.redirect(callbackUrl(ref, check.req, { error: check.error, error_description: check.description }), 302);
  const { req } = check;
  const form = async (username: string | undefined, error?: string, status: 200 | 403 = 200) =>
    c.html(
      loginPage({
        realm: ref.realm,
        look: await ctx.storeLook(ref),
        action: url.search,
        csrf: csrf.issue(c, ref.realm, "login"),
        canRegister: ref.realm !== PLATFORM_REALM,
        ...(username ? { username } : {}),
        ...(error ? { error } : {}),
      }),
      status,
      HTML_HEADERS,
    );

  if (step === "show") {
    if (req.prompt !== "login") {
      const sso = await ssoSession(c, ctx, ref);
      if (sso) return complete(c, ctx, ref, req, sso.account, sso.session);
    }
    if (req.prompt === "none") return c.redirect(callbackUrl(ref, req, { error: "login_required", error_description: "Login is required" }), 302);
    return form(req.loginHint);
  }
  const type = (c.req.header("content-type") ?? "").toLowerCase();
  const body = type.startsWith("application/x-www-form-urlencoded") ? await c.req.parseBody() : {};
  const username = typeof body.username === "string" ? body.username.slice(0, 320) : "";
  if (!csrf.check(c, ref.realm, "login", body[CSRF_FIELD])) return form(username, "The form expired; please sign in again.", 403);
  const password = typeof body.password === "string" ? body.password : "";
  const account = username && password ? await authenticate(ctx, ref, username, password) : undefined;
  if (!account) return form(username, INVALID_CREDENTIALS);
  const session = await ctx.tenancy.withTenant(ref.tenantId, (tx) => startSession(ctx, tx, account));
  setSsoCookie(c, ctx, ref, session.id, session.expiresAt);
  return complete(c, ctx, ref, req, account, session);
}

async function ssoSession(c: Context, ctx: IdentityCtx, ref: RealmRef): Promise<{ session: SessionRow; account: AccountRow } | undefined> {
  const sid = readSsoCookie(c, ctx, ref);
  if (!sid) return undefined;
  return ctx.tenancy.withTenant(ref.tenantId, async (tx) => {
    const now = ctx.clock();
    const session = await findActiveSession(tx, sid, { now, idleSeconds: ctx.settings.lifetimes.ssoIdle });
    const account = session && (await findAccount(tx, session.accountId));
    if (!session || !account) return undefined;
    await touchSession(tx, session.id, now);
    return { session, account };
  });
}

async function complete(c: Context, ctx: IdentityCtx, ref: RealmRef, req: AuthRequest, account: AccountRow, session: SessionRow): Promise<Response> {
  const code = await ctx.tenancy.withTenant(ref.tenantId, (tx) => issueCode(ctx, tx, req, account, session));
  c.header("cache-control", "no-store");
  return c.redirect(callbackUrl(ref, req, { code, session_state: session.id }), 302);
}
