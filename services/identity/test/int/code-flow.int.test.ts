import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TokenResponse } from "@bazaar/contracts";
import { bearer, form, issuer, oidc, pkce, provision, startIdentity, token, upsertAccount, verifyAccessToken, type Harness } from "./harness.ts";

const PASSWORD = "correct horse battery";
const REDIRECT = "http://acme.localhost:3000/account/callback";

function authUrl(params: Record<string, string>): string {
  return `${oidc("acme", "auth")}?${new URLSearchParams({ client_id: "storefront", redirect_uri: REDIRECT, response_type: "code", scope: "openid", state: "st-1", nonce: "n-1", code_challenge_method: "S256", ...params })}`;
}

/**
 * Submit the login form the way a browser would: load it (which sets the CSRF cookie and gives the
 * form's token), then POST to the page's own URL with both.
 */
async function submitLogin(h: Harness, url: string, username: string, password: string) {
  const page = await h.service.app.request(url);
  const html = await page.text();
  const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? "";
  const cookie = page.headers.getSetCookie().map((l) => l.split(";")[0]).join("; ");
  const init = form({ username, password, csrf });
  return h.service.app.request(url, { ...init, headers: { ...init.headers, cookie } });
}

function answer(location: string, mode: "query" | "fragment" = "query"): URLSearchParams {
  const url = new URL(location);
  return mode === "query" ? url.searchParams : new URLSearchParams(url.hash.slice(1));
}

const sessionCookie = (res: Response) => res.headers.get("set-cookie")?.split(";")[0] ?? "";

describe("identity: authorization code flow with PKCE", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startIdentity();
    await provision(h.service, "acme");
    await upsertAccount(h.service, "acme", { email: "shopper@acme.test", password: PASSWORD, roles: ["shopper"] });
  });
  afterAll(async () => h?.stop());

  it("refuses a login form posted without the page's CSRF token (login CSRF)", async () => {
    const { challenge } = pkce();
    const res = await h.service.app.request(authUrl({ code_challenge: challenge }), form({ username: "shopper@acme.test", password: PASSWORD }));
    expect(res.status).toBe(403);
    expect(res.headers.get("location")).toBeNull();
  });

  it("shows a login form, then redirects with a code that PKCE exchanges for tokens", async () => {
    const { verifier, challenge } = pkce();
    const url = authUrl({ code_challenge: challenge });
    const page = await h.service.app.request(url);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(page.headers.get("x-frame-options")).toBe("DENY");
    expect(await page.text()).toContain('<form method="post"');

    const res = await submitLogin(h, url, "shopper@acme.test", PASSWORD);
    expect(res.status).toBe(302);
    const location = res.headers.get("location")!;
    expect(location.startsWith(`${REDIRECT}?`)).toBe(true);
    const params = answer(location);
    expect(params.get("state")).toBe("st-1");
    expect(params.get("iss")).toBe(issuer("acme"));
    expect(params.get("session_state")).toMatch(/^ses_/);
    expect(res.headers.get("set-cookie")).toMatch(/HttpOnly/i);

    const exchange = { grant_type: "authorization_code", client_id: "storefront", code: params.get("code")!, redirect_uri: REDIRECT };
    expect(await token(h.service, "acme", { ...exchange, code_verifier: pkce().verifier })).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    expect(await token(h.service, "acme", exchange)).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    expect(await token(h.service, "acme", { ...exchange, code_verifier: verifier, redirect_uri: `${REDIRECT}x` })).toMatchObject({ status: 400 });

    const ok = await token(h.service, "acme", { ...exchange, code_verifier: verifier });
    expect(ok.status).toBe(200);
    const tokens = TokenResponse.parse(ok.body);
    const claims = await verifyAccessToken(h.service, "acme", tokens.access_token, h.clock.now());
    expect(claims).toMatchObject({ email: "shopper@acme.test", azp: "storefront", sid: params.get("session_state") });
    const idToken = JSON.parse(Buffer.from(tokens.id_token!.split(".")[1]!, "base64url").toString()) as Record<string, unknown>;
    expect(idToken.nonce).toBe("n-1");

    // The code again: refused, and what it issued is revoked.
    expect(await token(h.service, "acme", { ...exchange, code_verifier: verifier })).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    const refresh = await token(h.service, "acme", { grant_type: "refresh_token", client_id: "storefront", refresh_token: tokens.refresh_token });
    expect(refresh).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    expect((await h.service.app.request(oidc("acme", "userinfo"), bearer(tokens.access_token))).status).toBe(401);
  });

  it("answers in the fragment for response_mode=fragment (keycloak-js's default)", async () => {
    const { verifier, challenge } = pkce();
    const res = await submitLogin(h, authUrl({ code_challenge: challenge, response_mode: "fragment" }), "shopper@acme.test", PASSWORD);
    expect(res.status).toBe(302);
    const location = res.headers.get("location")!;
    expect(new URL(location).search).toBe("");
    const params = answer(location, "fragment");
    expect(params.get("state")).toBe("st-1");
    const ok = await token(h.service, "acme", { grant_type: "authorization_code", client_id: "storefront", code: params.get("code")!, redirect_uri: REDIRECT, code_verifier: verifier });
    expect(ok.status).toBe(200);
  });

  it("re-renders the form with a generic error on a wrong password, escaping what it echoes", async () => {
    const { challenge } = pkce();
    const url = authUrl({ code_challenge: challenge, state: `"><script>alert(1)</script>` });
    const res = await submitLogin(h, url, `"><img src=x onerror=alert(1)>@acme.test`, "wrong");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Invalid username or password");
    expect(html).not.toContain("<img src=x");
    expect(html).not.toContain("<script>alert");
    expect(html).toContain("&quot;&gt;&lt;img");
  });

  it("signs in from the SSO cookie without a form, and prompt=none without a session answers login_required", async () => {
    const first = pkce();
    const login = await submitLogin(h, authUrl({ code_challenge: first.challenge }), "shopper@acme.test", PASSWORD);
    const cookie = sessionCookie(login);
    expect(cookie).toMatch(/^BAZAAR_IDENTITY=ses_/);
    const again = await h.service.app.request(authUrl({ code_challenge: pkce().challenge }), { headers: { cookie } });
    expect(again.status).toBe(302);
    expect(answer(again.headers.get("location")!).get("code")).toBeTruthy();

    const silent = await h.service.app.request(authUrl({ code_challenge: pkce().challenge, prompt: "none" }));
    expect(silent.status).toBe(302);
    expect(answer(silent.headers.get("location")!).get("error")).toBe("login_required");
    const tampered = await h.service.app.request(authUrl({ code_challenge: pkce().challenge, prompt: "none" }), { headers: { cookie: `${cookie.slice(0, -3)}abc` } });
    expect(answer(tampered.headers.get("location")!).get("error")).toBe("login_required");

    // An SSO session left idle past its idle timeout (30 min) no longer signs anyone in.
    h.clock.advance(31 * 60_000);
    const idle = await h.service.app.request(authUrl({ code_challenge: pkce().challenge, prompt: "none" }), { headers: { cookie } });
    expect(answer(idle.headers.get("location")!).get("error")).toBe("login_required");
  });

  it("never redirects to an unregistered redirect_uri, and requires PKCE S256", async () => {
    for (const redirect of ["http://evil.test/cb", "http://acme.localhost:3000.evil.test/cb", "http://volt.localhost:3000/cb", "http://user@acme.localhost:3000/cb", "javascript:alert(1)"]) {
      const res = await h.service.app.request(authUrl({ code_challenge: pkce().challenge, redirect_uri: redirect }));
      expect(res.status, redirect).toBe(400);
      expect(res.headers.get("location")).toBeNull();
    }
    expect((await h.service.app.request(authUrl({ code_challenge: pkce().challenge, client_id: "nobody" }))).status).toBe(400);
    const noPkce = await h.service.app.request(authUrl({ code_challenge_method: "" }).replace("&code_challenge_method=", ""));
    expect(answer(noPkce.headers.get("location")!).get("error")).toBe("invalid_request");
    const plain = await h.service.app.request(authUrl({ code_challenge: pkce().challenge, code_challenge_method: "plain" }));
    expect(answer(plain.headers.get("location")!).get("error")).toBe("invalid_request");
    const implicit = await h.service.app.request(authUrl({ code_challenge: pkce().challenge, response_type: "token" }));
    expect(answer(implicit.headers.get("location")!).get("error")).toBe("unsupported_response_type");
  });

  it("RP-initiated logout ends the session and redirects only to an allowed URI", async () => {
    const { verifier, challenge } = pkce();
    const login = await submitLogin(h, authUrl({ code_challenge: challenge }), "shopper@acme.test", PASSWORD);
    const code = answer(login.headers.get("location")!).get("code")!;
    const tokens = TokenResponse.parse(
      (await token(h.service, "acme", { grant_type: "authorization_code", client_id: "storefront", code, redirect_uri: REDIRECT, code_verifier: verifier })).body,
    );
    const logout = (params: Record<string, string>) => h.service.app.request(`${oidc("acme", "logout")}?${new URLSearchParams(params)}`);
    const evil = await logout({ id_token_hint: tokens.id_token!, post_logout_redirect_uri: "http://evil.test/" });
    expect(evil.status).toBe(400);
    expect((await h.service.app.request(oidc("acme", "userinfo"), bearer(tokens.access_token))).status).toBe(200);

    const res = await logout({ id_token_hint: tokens.id_token!, post_logout_redirect_uri: "http://acme.localhost:3000/", state: "bye" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("http://acme.localhost:3000/?state=bye");
    expect((await h.service.app.request(oidc("acme", "userinfo"), bearer(tokens.access_token))).status).toBe(401);
    const refresh = await token(h.service, "acme", { grant_type: "refresh_token", client_id: "storefront", refresh_token: tokens.refresh_token });
    expect(refresh.status).toBe(400);
  });
});
