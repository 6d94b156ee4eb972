import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeJwt, decodeProtectedHeader } from "jose";
import { AccessTokenClaims, API_AUDIENCE, OAuthErrorBody, OidcDiscovery, UserInfo } from "@bazaar/contracts";
import { bearer, issuer, login, oidc, provision, startIdentity, token, upsertAccount, verifyAccessToken, form, type Harness } from "./harness.ts";

const PASSWORD = "correct horse battery";
const oidcPath = (endpoint: string) => `/auth/realms/{realm}/protocol/openid-connect/${endpoint}`;

describe("identity: token endpoint, userinfo, logout", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startIdentity({ lockout: { maxFailures: 5, lockSeconds: 900 } });
    await provision(h.service, "acme");
    await provision(h.service, "volt");
    for (const [realm, email, roles] of [
      ["acme", "owner@acme.test", ["owner"]],
      ["acme", "shopper@acme.test", ["shopper"]],
      ["acme", "locked@acme.test", ["shopper"]],
      ["acme", "rotate@acme.test", ["shopper"]],
      ["volt", "shopper@volt.test", ["shopper"]],
      ["platform", "ops@bazaar.test", ["operator"]],
    ] as const) {
      const res = await upsertAccount(h.service, realm, { email, password: PASSWORD, roles: [...roles], name: `Name of ${email}` });
      expect(res.status).toBe(201);
    }
  });
  afterAll(async () => h?.stop());

  it("serves discovery per realm with the public issuer and S256 only", async () => {
    const res = await h.service.app.request("/auth/realms/acme/.well-known/openid-configuration");
    expect(res.status).toBe(200);
    const doc = OidcDiscovery.parse(await res.json());
    expect(doc.issuer).toBe(issuer("acme"));
    expect(doc.token_endpoint).toBe(`${issuer("acme")}/protocol/openid-connect/token`);
    expect(doc.code_challenge_methods_supported).toEqual(["S256"]);
    expect(doc.grant_types_supported).toEqual(expect.arrayContaining(["password", "authorization_code", "refresh_token"]));
    const openapi = (await (await h.service.app.request("/openapi.json")).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(openapi.paths)).toEqual(expect.arrayContaining([oidcPath("token"), oidcPath("certs"), oidcPath("userinfo")]));
    expect(Object.keys(openapi.paths).some((p) => p.startsWith("/internal/"))).toBe(false);
  });

  it("password grant: the access token verifies against the realm's JWKS and carries Keycloak-shaped claims", async () => {
    const t = await login(h.service, "acme", "Owner@Acme.test", PASSWORD);
    expect(t).toMatchObject({ token_type: "Bearer", expires_in: 300, scope: "openid profile email" });
    const payload = AccessTokenClaims.parse(await verifyAccessToken(h.service, "acme", t.access_token, h.clock.now()));
    expect(payload).toMatchObject({ iss: issuer("acme"), azp: "storefront", typ: "Bearer", email: "owner@acme.test", realm_access: { roles: ["owner"] } });
    expect(payload.aud).toEqual([API_AUDIENCE, "storefront"]);
    expect(payload.exp - payload.iat).toBe(300);
    expect(payload.sid).toBe(t.session_state);
    expect(decodeProtectedHeader(t.access_token)).toMatchObject({ alg: "ES256", kid: expect.any(String) });
    const id = decodeJwt(t.id_token!);
    expect(id).toMatchObject({ aud: "storefront", iss: issuer("acme"), sub: payload.sub, typ: "ID" });
  });

  it("operators log in to the platform realm only", async () => {
    const t = await login(h.service, "platform", "ops@bazaar.test", PASSWORD, "admin");
    const payload = await verifyAccessToken(h.service, "platform", t.access_token, h.clock.now());
    expect(payload.realm_access).toEqual({ roles: ["operator"] });
    expect((await token(h.service, "acme", { grant_type: "password", client_id: "storefront", username: "ops@bazaar.test", password: PASSWORD })).status).toBe(401);
    // The platform realm has no storefront client.
    const noClient = await token(h.service, "platform", { grant_type: "password", client_id: "storefront", username: "ops@bazaar.test", password: PASSWORD });
    expect(noClient).toMatchObject({ status: 401, body: { error: "invalid_client" } });
  });

  it("wrong password and unknown user get the same 401 invalid_grant", async () => {
    const wrong = await token(h.service, "acme", { grant_type: "password", client_id: "storefront", username: "shopper@acme.test", password: "nope-nope" });
    const unknown = await token(h.service, "acme", { grant_type: "password", client_id: "storefront", username: "ghost@acme.test", password: "nope-nope" });
    expect(wrong.status).toBe(401);
    expect(OAuthErrorBody.parse(wrong.body)).toEqual({ error: "invalid_grant", error_description: "Invalid username or password" });
    expect(unknown).toEqual(wrong);
  });

  it("5 failed logins lock the account for 15 minutes, even against the right password; success resets", async () => {
    const attempt = (password: string) =>
      token(h.service, "acme", { grant_type: "password", client_id: "storefront", username: "locked@acme.test", password });
    for (let i = 0; i < 4; i++) expect((await attempt("wrong-password")).status).toBe(401);
    expect((await attempt(PASSWORD)).status).toBe(200); // 4 failures then success: counter resets
    for (let i = 0; i < 5; i++) expect((await attempt("wrong-password")).status).toBe(401);
    const refused = await attempt(PASSWORD);
    expect(refused).toMatchObject({ status: 401, body: { error: "invalid_grant", error_description: "Invalid username or password" } });
    h.clock.advance(14 * 60_000);
    expect((await attempt(PASSWORD)).status).toBe(401);
    h.clock.advance(61_000);
    expect((await attempt(PASSWORD)).status).toBe(200);
  });

  it("refresh rotates the refresh token; reusing an old one revokes the family and the session", async () => {
    const first = await login(h.service, "acme", "rotate@acme.test", PASSWORD);
    const refresh = (rt: string) => token(h.service, "acme", { grant_type: "refresh_token", client_id: "storefront", refresh_token: rt });
    const second = await refresh(first.refresh_token);
    expect(second.status).toBe(200);
    const rt2 = second.body.refresh_token as string;
    expect(rt2).not.toBe(first.refresh_token);
    const third = await refresh(rt2);
    expect(third.status).toBe(200);
    const rt3 = third.body.refresh_token as string;
    // An attacker replays the first token: refused, and the legitimate newest token dies with it.
    expect(await refresh(first.refresh_token)).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    expect(await refresh(rt3)).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    const info = await h.service.app.request(oidc("acme", "userinfo"), bearer(third.body.access_token as string));
    expect(info.status).toBe(401);
  });

  it("a refresh token only works for the client it was issued to", async () => {
    const t = await login(h.service, "acme", "shopper@acme.test", PASSWORD);
    const res = await token(h.service, "acme", { grant_type: "refresh_token", client_id: "admin", refresh_token: t.refresh_token });
    expect(res).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
  });

  it("userinfo answers for a live access token", async () => {
    const t = await login(h.service, "acme", "shopper@acme.test", PASSWORD);
    const res = await h.service.app.request(oidc("acme", "userinfo"), bearer(t.access_token));
    expect(res.status).toBe(200);
    expect(UserInfo.parse(await res.json())).toMatchObject({ email: "shopper@acme.test", realm_access: { roles: ["shopper"] } });
    const post = await h.service.app.request(oidc("acme", "userinfo"), { method: "POST", ...bearer(t.access_token) });
    expect(post.status).toBe(200);
    const missing = await h.service.app.request(oidc("acme", "userinfo"));
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toContain("invalid_token");
    const forged = `${t.access_token.slice(0, -4)}AAAA`;
    expect((await h.service.app.request(oidc("acme", "userinfo"), bearer(forged))).status).toBe(401);
  });

  it("a realm refuses another realm's tokens", async () => {
    const volt = await login(h.service, "volt", "shopper@volt.test", PASSWORD);
    const res = await h.service.app.request(oidc("acme", "userinfo"), bearer(volt.access_token));
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: "invalid_token" });
    const refresh = await token(h.service, "acme", { grant_type: "refresh_token", client_id: "storefront", refresh_token: volt.refresh_token });
    expect(refresh).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    expect((await h.service.app.request(oidc("volt", "userinfo"), bearer(volt.access_token))).status).toBe(200);
  });

  it("logout with the refresh token ends the session: its refresh token and userinfo stop working", async () => {
    const t = await login(h.service, "acme", "shopper@acme.test", PASSWORD);
    const out = await h.service.app.request(oidc("acme", "logout"), form({ client_id: "storefront", refresh_token: t.refresh_token }));
    expect(out.status).toBe(204);
    const again = await token(h.service, "acme", { grant_type: "refresh_token", client_id: "storefront", refresh_token: t.refresh_token });
    expect(again).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    expect((await h.service.app.request(oidc("acme", "userinfo"), bearer(t.access_token))).status).toBe(401);
  });

  it("answers malformed token requests in OAuth's shape", async () => {
    const cases: [Record<string, string>, number, string][] = [
      [{ client_id: "storefront" }, 400, "invalid_request"],
      [{ grant_type: "client_credentials", client_id: "storefront" }, 400, "unsupported_grant_type"],
      [{ grant_type: "password", client_id: "nobody", username: "a@b.c", password: "x" }, 401, "invalid_client"],
      [{ grant_type: "password", username: "a@b.c", password: "x" }, 400, "invalid_request"],
      [{ grant_type: "refresh_token", client_id: "storefront", refresh_token: "not.a.jwt" }, 400, "invalid_grant"],
      [{ grant_type: "authorization_code", client_id: "storefront", code: "made-up", redirect_uri: "http://acme.localhost:3000/" }, 400, "invalid_grant"],
      [{ grant_type: "constructor", client_id: "storefront" }, 400, "unsupported_grant_type"],
    ];
    for (const [fields, status, error] of cases) {
      const res = await token(h.service, "acme", fields);
      expect([res.status, res.body.error]).toEqual([status, error]);
    }
    const json = await h.service.app.request(oidc("acme", "token"), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ grant_type: "password" }),
    });
    expect(json.status).toBe(400);
    expect(await json.json()).toMatchObject({ error: "invalid_request" });
  });

  it("crafted realm names are 4xx, never 5xx, and unknown realms are 404", async () => {
    const paths = [
      "/auth/realms/nosuchstore/.well-known/openid-configuration",
      "/auth/realms/NoSuch/protocol/openid-connect/certs",
      "/auth/realms/a'%3B%20drop%20table%20accounts%3B--/protocol/openid-connect/certs",
      "/auth/realms/%00/protocol/openid-connect/certs",
      `/auth/realms/${"a".repeat(300)}/protocol/openid-connect/certs`,
      "/auth/realms/..%2F..%2Finternal/protocol/openid-connect/certs",
      "/auth/realms/%E2%80%AEacme/protocol/openid-connect/userinfo",
      "/auth/realms/-acme-/protocol/openid-connect/token",
    ];
    for (const p of paths) {
      const res = await h.service.app.request(p, p.endsWith("token") ? form({ grant_type: "password" }) : {});
      expect(res.status, p).toBeGreaterThanOrEqual(400);
      expect(res.status, p).toBeLessThan(500);
    }
    expect((await h.service.app.request("/auth/realms/nosuchstore/protocol/openid-connect/certs")).status).toBe(404);
  });

  it("the internal accounts endpoint is guarded, idempotent by email and keeps operators in the platform realm", async () => {
    const open = await h.service.app.request("/internal/realms/acme/accounts", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "x@acme.test", password: PASSWORD, roles: ["owner"] }),
    });
    expect(open.status).toBe(403);
    const again = await upsertAccount(h.service, "acme", { email: "OWNER@acme.test", password: "a new password", roles: ["owner", "manager"] });
    expect(again).toMatchObject({ status: 200, body: { email: "owner@acme.test", realm: "acme", roles: ["owner", "manager"] } });
    expect((await token(h.service, "acme", { grant_type: "password", client_id: "admin", username: "owner@acme.test", password: "a new password" })).status).toBe(200);
    expect((await upsertAccount(h.service, "acme", { email: "op@acme.test", password: PASSWORD, roles: ["operator"] })).status).toBe(422);
    expect((await upsertAccount(h.service, "platform", { email: "own@x.test", password: PASSWORD, roles: ["owner"] })).status).toBe(422);
    expect((await upsertAccount(h.service, "nosuchstore", { email: "a@x.test", password: PASSWORD, roles: ["shopper"] })).status).toBe(404);
  });
});
