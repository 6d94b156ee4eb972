import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeJwt } from "jose";
import { IdentityEvents } from "@bazaar/contracts";
import { schemaForTenant } from "@bazaar/service-kit/tenancy";
import { login, oidc, pkce, provision, startIdentity, token, upsertAccount, type Harness } from "./harness.ts";
import { asCaller, Browser, outbox, pathOf } from "./pages-helpers.ts";

const REDIRECT = "http://acme.localhost:3000/account/callback";
const PASSWORD = "correct horse battery";
const realmPath = (realm: string, rest: string) => `/auth/realms/${realm}/${rest}`;
const RESET = realmPath("acme", "login-actions/reset-credentials");

function registrationUrl(challenge: string, realm = "acme"): string {
  const q = new URLSearchParams({
    client_id: "storefront",
    redirect_uri: REDIRECT,
    response_type: "code",
    scope: "openid",
    state: "st-reg",
    nonce: "n-reg",
    code_challenge: challenge,
    code_challenge_method: "S256",
  });
  return `${oidc(realm, "registrations")}?${q}`;
}

describe("identity: registration, password reset, email verification, invitations (pages)", () => {
  let h: Harness;
  let acme: { tenantId: string; slug: string };
  beforeAll(async () => {
    h = await startIdentity();
    acme = { tenantId: await provision(h.service, "acme"), slug: "acme" };
  });
  afterAll(async () => h?.stop());

  it("registration creates a shopper, continues the login flow, and emits both events exactly once", async () => {
    const browser = new Browser(h);
    const { verifier, challenge } = pkce();
    const url = registrationUrl(challenge);
    const form = await browser.get(url);
    expect(form.status).toBe(200);
    expect(form.res.headers.get("content-type")).toContain("text/html");
    expect(form.res.headers.get("x-frame-options")).toBe("DENY");
    expect(form.html).toContain('name="password-confirm"');
    expect(form.html).toContain(`href="auth?`);
    expect(browser.cookies.has("BAZAAR_CSRF")).toBe(true);

    // Validation errors keep the values, never the passwords.
    const mismatch = await browser.post(url, { name: "Sam Shopper", email: "Sam@Acme.test", password: PASSWORD, "password-confirm": "something else" }, form);
    expect(mismatch.status).toBe(400);
    expect(mismatch.html).toContain("Password confirmation doesn&#39;t match.");
    expect(mismatch.html).toContain('value="Sam@Acme.test"');
    expect(mismatch.html).not.toContain(PASSWORD);

    const done = await browser.post(url, { name: "Sam Shopper", email: "Sam@Acme.test", password: PASSWORD, "password-confirm": PASSWORD }, mismatch);
    expect(done.status).toBe(302);
    const location = new URL(done.res.headers.get("location")!);
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
    expect(location.searchParams.get("state")).toBe("st-reg");
    expect(browser.cookies.has("BAZAAR_IDENTITY")).toBe(true);
    const exchanged = await token(h.service, "acme", {
      grant_type: "authorization_code",
      client_id: "storefront",
      code: location.searchParams.get("code")!,
      redirect_uri: REDIRECT,
      code_verifier: verifier,
    });
    expect(exchanged.status).toBe(200);
    const claims = decodeJwt(exchanged.body.access_token as string);
    expect(claims).toMatchObject({ email: "sam@acme.test", email_verified: false, name: "Sam Shopper", realm_access: { roles: ["shopper"] } });

    // The new shopper logs in with the password grant.
    const tokens = await login(h.service, "acme", "sam@acme.test", PASSWORD);
    expect(decodeJwt(tokens.access_token).sub).toBe(claims.sub);

    const registered = (await outbox(h, acme.tenantId, IdentityEvents.accountRegistered)).filter((e) => e.data.accountId === claims.sub);
    expect(registered).toHaveLength(1);
    expect(registered[0]!.data).toEqual({ accountId: claims.sub, email: "sam@acme.test", roles: ["shopper"] });
    const verification = (await outbox(h, acme.tenantId, IdentityEvents.emailVerificationRequested)).filter((e) => e.data.accountId === claims.sub);
    expect(verification).toHaveLength(1);
    expect(verification[0]!.data.verifyUrl).toMatch(/^http:\/\/localhost:8080\/auth\/realms\/acme\/login-actions\/action-token\?key=[A-Za-z0-9_-]{43}$/);

    // The verify link: GET only shows a confirmation (mail scanners open links), POST confirms once.
    const verifyPath = pathOf(verification[0]!.data.verifyUrl);
    const mailer = new Browser(h);
    const confirm = await mailer.get(verifyPath);
    expect(confirm.status).toBe(200);
    expect(confirm.html).toContain("Confirm your email");
    const key = new URL(verification[0]!.data.verifyUrl).searchParams.get("key")!;
    const verified = await mailer.post(realmPath("acme", "login-actions/action-token"), { key }, confirm);
    expect(verified.status).toBe(200);
    expect(verified.html).toContain("Your email address is confirmed");
    expect(decodeJwt((await login(h.service, "acme", "sam@acme.test", PASSWORD)).access_token).email_verified).toBe(true);
    const again = await mailer.get(verifyPath);
    expect(again.status).toBe(410);
    expect(again.html).toContain("This link was already used");

    // The same email again: refused on the form, nothing emitted.
    const second = new Browser(h);
    const form2 = await second.get(registrationUrl(pkce().challenge));
    const taken = await second.post(registrationUrl(pkce().challenge), { email: "sam@acme.test", password: PASSWORD, "password-confirm": PASSWORD }, form2);
    expect(taken.status).toBe(409);
    expect(taken.html).toContain("Email already exists.");
    expect(await outbox(h, acme.tenantId, IdentityEvents.accountRegistered)).toHaveLength(1);
  });

  it("a plain registration link (client_id + redirect_uri) signs the browser in and goes back to the app", async () => {
    const browser = new Browser(h);
    const url = `${oidc("acme", "registrations")}?${new URLSearchParams({ client_id: "storefront", redirect_uri: REDIRECT })}`;
    const form = await browser.get(url);
    expect(form.status).toBe(200);
    const done = await browser.post(url, { email: "plain@acme.test", password: PASSWORD, "password-confirm": PASSWORD }, form);
    expect(done.status).toBe(302);
    expect(done.res.headers.get("location")).toBe(REDIRECT);
    expect(browser.cookies.has("BAZAAR_IDENTITY")).toBe(true);
    await login(h.service, "acme", "plain@acme.test", PASSWORD);
    // An unknown client or a foreign redirect URI is refused on the page.
    expect((await browser.get(`${oidc("acme", "registrations")}?client_id=storefront&redirect_uri=${encodeURIComponent("https://evil.test/")}`)).status).toBe(400);
  });

  it("the platform realm has no self-registration", async () => {
    const res = await new Browser(h).get(`${oidc("platform", "registrations")}?client_id=admin&redirect_uri=${encodeURIComponent("http://localhost:3001/")}`);
    expect(res.status).toBe(403);
    expect(res.html).toContain("Registration is not allowed");
  });

  it("CSRF: a POST without the token, without the cookie, or with another form's token is refused", async () => {
    const url = registrationUrl(pkce().challenge);
    const fields = { email: "csrf@acme.test", password: PASSWORD, "password-confirm": PASSWORD };
    const browser = new Browser(h);
    const form = await browser.get(url);

    const missing = await browser.post(url, fields);
    expect(missing.status).toBe(403);
    expect(missing.html).toContain("This form has expired");

    const noCookie = await new Browser(h).post(url, fields, form);
    expect(noCookie.status).toBe(403);

    const resetForm = await browser.get(RESET);
    const crossForm = await browser.post(url, fields, resetForm);
    expect(crossForm.status).toBe(403);

    const otherBrowser = new Browser(h);
    await otherBrowser.get(url);
    expect((await otherBrowser.post(url, fields, form)).status).toBe(403);

    const reset = await new Browser(h).post(RESET, { username: "csrf@acme.test" });
    expect(reset.status).toBe(403);
    const action = await new Browser(h).post(realmPath("acme", "login-actions/action-token"), { key: "x".repeat(43), "password-new": PASSWORD, "password-confirm": PASSWORD });
    expect(action.status).toBe(400);

    // None of it created the account.
    expect((await token(h.service, "acme", { grant_type: "password", client_id: "storefront", username: "csrf@acme.test", password: PASSWORD })).status).toBe(401);
    // The stale form's token still works with its own cookie.
    expect((await browser.post(url, fields, form)).status).toBe(302);
  });

  it("password reset: request, link, new password; old password and old refresh token stop working", async () => {
    const created = await upsertAccount(h.service, "acme", { email: "reset@acme.test", password: PASSWORD, roles: ["shopper"] });
    const accountId = (created.body as { id: string }).id;
    const before = await login(h.service, "acme", "reset@acme.test", PASSWORD);

    const browser = new Browser(h);
    const form = await browser.get(`${RESET}?client_id=storefront`);
    expect(form.status).toBe(200);
    expect(form.html).toContain("Forgot your password?");
    expect(form.html).toContain('href="../protocol/openid-connect/auth?client_id=storefront"');
    const sent = await browser.post(`${RESET}?client_id=storefront`, { username: "Reset@Acme.test" }, form);
    expect(sent.status).toBe(200);
    expect(sent.html).toContain("Check your email");

    // An unknown email gets exactly the same answer.
    const unknown = await browser.post(`${RESET}?client_id=storefront`, { username: "nobody@acme.test" }, form);
    expect(unknown.status).toBe(sent.status);
    expect(unknown.html).toBe(sent.html);
    expect(unknown.res.headers.get("set-cookie")).toBe(sent.res.headers.get("set-cookie"));

    const events = await outbox(h, acme.tenantId, IdentityEvents.passwordResetRequested);
    expect(events.filter((e) => e.data.email === "nobody@acme.test")).toHaveLength(0);
    const mine = events.filter((e) => e.data.accountId === accountId);
    expect(mine).toHaveLength(1);
    const { resetUrl, expiresAt } = mine[0]!.data;
    expect(resetUrl).toMatch(/\/auth\/realms\/acme\/login-actions\/action-token\?key=[A-Za-z0-9_-]{43}$/);
    expect(new Date(expiresAt).getTime() - h.clock.now().getTime()).toBeGreaterThan(29 * 60_000);
    expect(new Date(expiresAt).getTime() - h.clock.now().getTime()).toBeLessThanOrEqual(30 * 60_000);
    // Only the hash is stored.
    const key = new URL(resetUrl).searchParams.get("key")!;
    const stored = await h.database.sql.unsafe<{ token_hash: string }[]>(`select token_hash from "${schemaForTenant(acme.tenantId)}".action_tokens where kind = 'reset_password'`);
    expect(stored.map((r) => r.token_hash)).not.toContain(key);

    const mailer = new Browser(h);
    const page = await mailer.get(pathOf(resetUrl));
    expect(page.status).toBe(200);
    expect(page.html).toContain("Choose a new password");
    const ACTION = realmPath("acme", "login-actions/action-token");
    const short = await mailer.post(ACTION, { key, "password-new": "short", "password-confirm": "short" }, page);
    expect(short.status).toBe(400);
    expect(short.html).toContain("minimum length 8");
    const NEW = "a brand new passphrase";
    const noCsrf = await mailer.post(ACTION, { key, "password-new": NEW, "password-confirm": NEW });
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.html).toContain("This form has expired");
    const ok = await mailer.post(ACTION, { key, "password-new": NEW, "password-confirm": NEW }, short);
    expect(ok.status).toBe(200);
    expect(ok.html).toContain("Your password has been updated");

    expect((await token(h.service, "acme", { grant_type: "password", client_id: "storefront", username: "reset@acme.test", password: PASSWORD })).status).toBe(401);
    await login(h.service, "acme", "reset@acme.test", NEW);
    const refresh = await token(h.service, "acme", { grant_type: "refresh_token", client_id: "storefront", refresh_token: before.refresh_token });
    expect(refresh).toMatchObject({ status: 400, body: { error: "invalid_grant" } });

    // The link works once.
    const reused = await mailer.post(ACTION, { key, "password-new": "yet another password", "password-confirm": "yet another password" }, page);
    expect(reused.status).toBe(410);
    expect((await mailer.get(pathOf(resetUrl))).status).toBe(410);
    await login(h.service, "acme", "reset@acme.test", NEW);
  });

  it("reset requests are throttled per email, silently (3 per 15 minutes)", async () => {
    const created = await upsertAccount(h.service, "acme", { email: "spam@acme.test", password: PASSWORD, roles: ["shopper"] });
    const accountId = (created.body as { id: string }).id;
    const browser = new Browser(h);
    const form = await browser.get(RESET);
    const answers = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const res = await browser.post(RESET, { username: "spam@acme.test" }, form);
      expect(res.status).toBe(200);
      answers.add(res.html);
    }
    expect(answers.size).toBe(1);
    const sentFor = async () => (await outbox(h, acme.tenantId, IdentityEvents.passwordResetRequested)).filter((e) => e.data.accountId === accountId);
    expect(await sentFor()).toHaveLength(3);
  });

  it("invitation: the invitee sets a name and password and logs in as manager; the link works once", async () => {
    const owner = { sub: "acc_owner", realm: "acme" as const, roles: ["owner" as const] };
    const res = await h.service.app.request("/api/v1/admin/staff/invitations", asCaller(acme, owner, { method: "POST", body: { email: "Mia@Acme.test", role: "manager" } }));
    expect(res.status).toBe(201);
    const invitation = (await res.json()) as { id: string };
    const event = (await outbox(h, acme.tenantId, IdentityEvents.staffInvited)).find((e) => e.aggregateId === invitation.id)!;
    const key = new URL(event.data.inviteUrl).searchParams.get("key")!;

    const browser = new Browser(h);
    const page = await browser.get(pathOf(event.data.inviteUrl));
    expect(page.status).toBe(200);
    expect(page.html).toContain("You are invited as <strong>manager</strong> (mia@acme.test)");
    expect(page.html).toContain('name="password-new"');
    const ACTION = realmPath("acme", "login-actions/action-token");
    const noName = await browser.post(ACTION, { key, "password-new": PASSWORD, "password-confirm": PASSWORD }, page);
    expect(noName.status).toBe(400);
    expect(noName.html).toContain("Please specify name.");
    const ok = await browser.post(ACTION, { key, name: "Mia Manager", "password-new": PASSWORD, "password-confirm": PASSWORD }, noName);
    expect(ok.status).toBe(200);
    expect(ok.html).toContain("Invitation accepted");

    const claims = decodeJwt((await login(h.service, "acme", "mia@acme.test", PASSWORD, "admin")).access_token);
    expect(claims).toMatchObject({ realm_access: { roles: ["manager"] }, name: "Mia Manager", email_verified: true });

    const used = await browser.get(pathOf(event.data.inviteUrl));
    expect(used.status).toBe(410);
    expect(used.html).toContain("This link was already used");
    const usedPost = await browser.post(ACTION, { key, name: "Again", "password-new": "another password", "password-confirm": "another password" }, page);
    expect(usedPost.status).toBe(410);
    await login(h.service, "acme", "mia@acme.test", PASSWORD, "admin");

    const bogus = await browser.get(`${ACTION}?key=${"A".repeat(43)}`);
    expect(bogus.status).toBe(400);
    expect(bogus.html).toContain("This link is not valid");
    expect((await browser.get(ACTION)).status).toBe(400);
  });

  it("invitation for an existing account adds the role and keeps its password", async () => {
    await upsertAccount(h.service, "acme", { email: "vic@acme.test", password: PASSWORD, roles: ["shopper"] });
    const owner = { sub: "acc_owner", realm: "acme" as const, roles: ["owner" as const] };
    const res = await h.service.app.request("/api/v1/admin/staff/invitations", asCaller(acme, owner, { method: "POST", body: { email: "vic@acme.test", role: "viewer" } }));
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };
    const event = (await outbox(h, acme.tenantId, IdentityEvents.staffInvited)).find((e) => e.aggregateId === id)!;
    const key = new URL(event.data.inviteUrl).searchParams.get("key")!;
    const browser = new Browser(h);
    const page = await browser.get(pathOf(event.data.inviteUrl));
    expect(page.html).toContain("You already have an account");
    expect(page.html).not.toContain('name="password-new"');
    const ok = await browser.post(realmPath("acme", "login-actions/action-token"), { key }, page);
    expect(ok.status).toBe(200);
    const claims = decodeJwt((await login(h.service, "acme", "vic@acme.test", PASSWORD)).access_token);
    expect((claims.realm_access as { roles: string[] }).roles.sort()).toEqual(["shopper", "viewer"]);
  });
});

describe("identity: expired links", () => {
  let h: Harness;
  let tenantId: string;
  beforeAll(async () => {
    h = await startIdentity();
    tenantId = await provision(h.service, "acme");
    await upsertAccount(h.service, "acme", { email: "late@acme.test", password: PASSWORD, roles: ["shopper"] });
  });
  afterAll(async () => h?.stop());

  it("a reset link after 30 minutes and an invitation after 7 days show a clear page, 410", async () => {
    const browser = new Browser(h);
    const form = await browser.get(RESET);
    await browser.post(RESET, { username: "late@acme.test" }, form);
    const [reset] = await outbox(h, tenantId, IdentityEvents.passwordResetRequested);
    const res = await h.service.app.request("/api/v1/admin/staff/invitations", asCaller({ tenantId, slug: "acme" }, { sub: "acc_owner", realm: "acme", roles: ["owner"] }, { method: "POST", body: { email: "late-staff@acme.test", role: "manager" } }));
    expect(res.status).toBe(201);
    const [invite] = await outbox(h, tenantId, IdentityEvents.staffInvited);

    const resetPage = await browser.get(pathOf(reset!.data.resetUrl));
    expect(resetPage.status).toBe(200);
    h.clock.advance(31 * 60_000);
    const late = await browser.get(pathOf(reset!.data.resetUrl));
    expect(late.status).toBe(410);
    expect(late.html).toContain("This link has expired");
    const key = new URL(reset!.data.resetUrl).searchParams.get("key")!;
    const latePost = await browser.post(realmPath("acme", "login-actions/action-token"), { key, "password-new": "a new password", "password-confirm": "a new password" }, resetPage);
    expect(latePost.status).toBe(410);
    await login(h.service, "acme", "late@acme.test", PASSWORD);

    expect((await browser.get(pathOf(invite!.data.inviteUrl))).status).toBe(200);
    h.clock.advance(7 * 86_400_000);
    const lateInvite = await browser.get(pathOf(invite!.data.inviteUrl));
    expect(lateInvite.status).toBe(410);
    expect(lateInvite.html).toContain("Ask the store owner to send a new invitation.");
    // An expired invitation is no longer pending.
    const list = await h.service.app.request("/api/v1/admin/staff", asCaller({ tenantId, slug: "acme" }, { sub: "acc_owner", realm: "acme", roles: ["owner"] }));
    expect(((await list.json()) as { invitations: unknown[] }).invitations).toEqual([]);
  });
});
