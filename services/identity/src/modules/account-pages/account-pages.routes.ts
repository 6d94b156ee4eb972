import { PLATFORM_REALM } from "@bazaar/contracts";
import { createRouter, type AppEnv } from "@bazaar/service-kit/http";
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { IdentityCtx, RealmRef } from "../../context.ts";
import { deriveKey } from "../../lib/crypto.ts";
import { HTML_HEADERS } from "../../lib/html.ts";
import type { StoreLook } from "../../lib/theme.ts";
import { callbackUrl, checkAuthRequest, issueCode } from "../oidc/authorize.service.ts";
import { realmOf, REALM_PATH } from "../oidc/realm.ts";
import { setSsoCookie } from "../sessions/sso-cookie.ts";
import { startSession } from "../tokens/tokens.grants.ts";
import {
  acceptInvitation,
  emailProblems,
  loadActionLink,
  passwordProblems,
  register,
  requestPasswordReset,
  resetPassword,
  verifyEmail,
  type ActionLink,
  type ActionOutcome,
} from "./account-pages.service.ts";
import { createCsrf, CSRF_FIELD, type Csrf } from "./csrf.ts";
import { invitationPage, newPasswordPage, noticePage, registerPage, resetRequestPage, verifyEmailPage } from "./pages.ts";

export const REGISTER_PATH = `${REALM_PATH}/protocol/openid-connect/registrations`;
export const RESET_PATH = `${REALM_PATH}/login-actions/reset-credentials`;
export const ACTION_PATH = `${REALM_PATH}/login-actions/action-token`;

const FORM_EXPIRED = "This form has expired or was not sent from this page. Please try again.";

type Form = Record<string, string | undefined>;

/** A browser form (`application/x-www-form-urlencoded`); anything else reads as empty (and fails CSRF). */
async function readPageForm(c: Context): Promise<Form> {
  const type = (c.req.header("content-type") ?? "").toLowerCase();
  if (!type.startsWith("application/x-www-form-urlencoded")) return {};
  const body = await c.req.parseBody();
  const form: Form = {};
  for (const [k, v] of Object.entries(body)) if (typeof v === "string" && v.length <= 4096) form[k] = v;
  return form;
}

const html = (c: Context, status: ContentfulStatusCode, body: string) => c.html(body, status, HTML_HEADERS);

/** A realm with its store's look (name and theme) for the pages. */
type PageRealm = RealmRef & { look: StoreLook | undefined };

const pageRealm = async (c: Context<AppEnv>, ctx: IdentityCtx): Promise<PageRealm> => {
  const ref = realmOf(c, ctx);
  return { ...ref, look: await ctx.storeLook(ref) };
};

const notice = (c: Context, ref: PageRealm, status: ContentfulStatusCode, title: string, message: string, link?: { href: string; text: string }) =>
  html(c, status, noticePage({ realm: ref.realm, look: ref.look, title, message, ...(link ? { link } : {}) }));

/**
 * Keycloak's account pages for a realm: registration (`/protocol/openid-connect/registrations`),
 * "forgot password" (`/login-actions/reset-credentials`) and the mailed links
 * (`/login-actions/action-token?key=`: reset password, verify email, accept invitation). GETs never
 * change anything; every POST form is CSRF-checked (csrf.ts).
 */
export function accountPageRoutes(ctx: IdentityCtx, opts: { secret: string }) {
  const csrf = createCsrf({ key: deriveKey(opts.secret, "csrf:v1"), clock: ctx.clock, secure: ctx.settings.publicUrl.startsWith("https:") });
  return createRouter()
    .get(REGISTER_PATH, (c) => registration(c, ctx, csrf, "show"))
    .post(REGISTER_PATH, (c) => registration(c, ctx, csrf, "submit"))
    .get(RESET_PATH, (c) => resetRequest(c, ctx, csrf, "show"))
    .post(RESET_PATH, (c) => resetRequest(c, ctx, csrf, "submit"))
    .get(ACTION_PATH, (c) => actionToken(c, ctx, csrf, "show"))
    .post(ACTION_PATH, (c) => actionToken(c, ctx, csrf, "submit"));
}

/**
 * Registration takes the authorization request's parameters (keycloak-js's `register()` sends the
 * same ones as `login()`): on success the browser is signed in (SSO cookie) and sent back to the
 * client with a code, as after a login. With only `client_id` and `redirect_uri` (a plain link), it
 * is signed in and sent to the redirect URI, where the app's login then passes through the SSO cookie.
 */
async function registration(c: Context<AppEnv>, ctx: IdentityCtx, csrf: Csrf, step: "show" | "submit"): Promise<Response> {
  const ref = await pageRealm(c, ctx);
  if (ref.realm === PLATFORM_REALM) return notice(c, ref, 403, "Registration is not allowed", "Accounts in this realm are created by invitation only.");
  const url = new URL(c.req.url);
  const check = await checkAuthRequest(ctx, ref, url.searchParams);
  if (check.kind === "page") return notice(c, ref, 400, "We are sorry...", check.message);
  const plainLink = check.kind === "redirect" && !url.searchParams.has("response_type");
  if (check.kind === "redirect" && !plainLink) {
    return c.redirect(callbackUrl(ref, check.req, { error: check.error, error_description: check.description }), 302);
  }
  const req = check.req;
  const show = (status: ContentfulStatusCode, values: { email?: string; name?: string }, errors?: string[]) =>
    html(
      c,
      status,
      registerPage({
        realm: ref.realm,
        look: ref.look,
        action: url.search,
        csrf: csrf.issue(c, ref.realm, "register"),
        values,
        ...(errors ? { errors } : {}),
        ...(plainLink ? {} : { loginUrl: `auth${url.search}` }),
      }),
    );
  if (step === "show") return show(200, {});

  const form = await readPageForm(c);
  const values = { email: form.email?.trim().slice(0, 320) ?? "", name: form.name?.trim().slice(0, 200) ?? "" };
  if (!csrf.check(c, ref.realm, "register", form[CSRF_FIELD])) return show(403, values, [FORM_EXPIRED]);
  const problems = [...emailProblems(values.email), ...passwordProblems(form.password, form["password-confirm"])];
  if (problems.length) return show(400, values, problems);
  const account = await register(ctx, ref, { email: values.email, name: values.name, password: form.password! });
  if (!account) return show(409, values, ["Email already exists."]);

  const session = await ctx.tenancy.withTenant(ref.tenantId, (tx) => startSession(ctx, tx, account));
  setSsoCookie(c, ctx, ref, session.id, session.expiresAt);
  c.header("cache-control", "no-store");
  if (plainLink) return c.redirect(req.redirectUri, 302);
  const code = await ctx.tenancy.withTenant(ref.tenantId, (tx) => issueCode(ctx, tx, req, account, session));
  return c.redirect(callbackUrl(ref, req, { code, session_state: session.id }), 302);
}

/**
 * "Forgot your password?": the same answer whether or not the email has an account, and whether or
 * not the request was throttled, so the page reveals nothing.
 */
async function resetRequest(c: Context<AppEnv>, ctx: IdentityCtx, csrf: Csrf, step: "show" | "submit"): Promise<Response> {
  const ref = await pageRealm(c, ctx);
  const url = new URL(c.req.url);
  // Reached from the login form, the page links back to it with the same request.
  const loginUrl = url.searchParams.has("client_id") ? `../protocol/openid-connect/auth${url.search}` : undefined;
  const show = (status: ContentfulStatusCode, username?: string, errors?: string[]) =>
    html(
      c,
      status,
      resetRequestPage({
        realm: ref.realm,
        look: ref.look,
        action: url.search,
        csrf: csrf.issue(c, ref.realm, "reset-request"),
        ...(username ? { username } : {}),
        ...(errors ? { errors } : {}),
        ...(loginUrl ? { loginUrl } : {}),
      }),
    );
  if (step === "show") return show(200, c.req.query("login_hint")?.slice(0, 320));

  const form = await readPageForm(c);
  const username = form.username?.trim().slice(0, 320) ?? "";
  if (!csrf.check(c, ref.realm, "reset-request", form[CSRF_FIELD])) return show(403, username, [FORM_EXPIRED]);
  const problems = emailProblems(username);
  if (problems.length) return show(400, username, problems);
  await requestPasswordReset(ctx, ref, username);
  return notice(
    c,
    ref,
    200,
    "Check your email",
    "If an account exists for this email, you will receive an email shortly with a link to choose a new password. The link works for 30 minutes.",
    loginUrl ? { href: loginUrl, text: "Back to sign in" } : undefined,
  );
}

/** Pages for a link that cannot be used (any kind). */
function refusal(c: Context, ref: PageRealm, outcome: Exclude<ActionOutcome, "done" | "needs-password">, kind?: ActionLink["row"]["kind"]): Response {
  if (outcome === "used") return notice(c, ref, 410, "This link was already used", "Each link works only once. If you still need to, ask for a new one.");
  if (outcome === "expired") {
    const next =
      kind === "invitation"
        ? "Ask the store owner to send a new invitation."
        : kind === "reset_password"
          ? "Ask for a new password reset link."
          : "Sign in and ask for a new link.";
    return notice(c, ref, 410, "This link has expired", next, kind === "reset_password" ? { href: "reset-credentials", text: "Reset your password" } : undefined);
  }
  return notice(c, ref, 400, "This link is not valid", "Check that you opened the whole link from the email.");
}

/**
 * `/login-actions/action-token`: GET shows what the link does (never uses it: mail scanners open
 * links); POST (key in the body) does it, once.
 */
async function actionToken(c: Context<AppEnv>, ctx: IdentityCtx, csrf: Csrf, step: "show" | "submit"): Promise<Response> {
  const ref = await pageRealm(c, ctx);
  const form = step === "submit" ? await readPageForm(c) : {};
  const key = (step === "submit" ? form.key : c.req.query("key")) ?? "";
  const link = await loadActionLink(ctx, ref, key);
  if (!link) return refusal(c, ref, "invalid");
  if (link.state !== "valid") return refusal(c, ref, link.state, link.row.kind);
  const { row } = link;
  const email = row.email ?? "";
  const common = (errors?: string[]) => ({ realm: ref.realm, look: ref.look, action: "action-token", csrf: csrf.issue(c, ref.realm, "action-token"), key, email, ...(errors ? { errors } : {}) });
  const invitationForm = (status: ContentfulStatusCode, existing: boolean, errors?: string[], name?: string) =>
    html(c, status, invitationPage({ ...common(errors), role: row.role ?? "", existing, ...(name ? { name } : {}) }));
  const show = (status: ContentfulStatusCode, errors?: string[]): Response => {
    if (row.kind === "reset_password") return html(c, status, newPasswordPage(common(errors)));
    if (row.kind === "verify_email") return html(c, status, verifyEmailPage(common(errors)));
    return invitationForm(status, Boolean(link.account?.passwordHash), errors, form.name?.trim().slice(0, 200));
  };
  if (step === "show") return show(200);
  if (!csrf.check(c, ref.realm, "action-token", form[CSRF_FIELD])) return show(403, [FORM_EXPIRED]);

  let outcome: ActionOutcome;
  if (row.kind === "reset_password") {
    const problems = passwordProblems(form["password-new"], form["password-confirm"]);
    if (problems.length) return show(400, problems);
    outcome = await resetPassword(ctx, ref, key, form["password-new"]!);
    if (outcome === "done") return notice(c, ref, 200, "Your password has been updated", "You can now sign in with your new password. You were signed out everywhere else.");
  } else if (row.kind === "verify_email") {
    outcome = await verifyEmail(ctx, ref, key);
    if (outcome === "done") return notice(c, ref, 200, "Your email address is confirmed", `Thank you: ${email} is confirmed.`);
  } else {
    const name = form.name?.trim().slice(0, 200) ?? "";
    let password: string | undefined;
    if (!link.account?.passwordHash) {
      const problems = [...(name ? [] : ["Please specify name."]), ...passwordProblems(form["password-new"], form["password-confirm"])];
      if (problems.length) return invitationForm(400, false, problems, name);
      password = form["password-new"];
    }
    outcome = await acceptInvitation(ctx, ref, key, { ...(name ? { name } : {}), ...(password ? { password } : {}) });
    if (outcome === "needs-password") return invitationForm(400, false, ["Choose a password for your new account."], name);
    const admin = ctx.settings.adminOrigins[0];
    if (outcome === "done") {
      return notice(c, ref, 200, "Invitation accepted", `You joined as ${row.role ?? "staff"}. Sign in with ${email}.`, admin ? { href: admin, text: "Open the admin console" } : undefined);
    }
  }
  return refusal(c, ref, outcome === "needs-password" ? "invalid" : outcome, row.kind);
}
