import { describe, expect, it } from "vitest";
import { discoveryDocument } from "./discovery.routes.ts";
import { callbackUrl, type AuthRequest } from "./authorize.service.ts";

const ref = { realm: "acme", tenantId: "ten_x", issuer: "http://localhost:8080/auth/realms/acme" };
const req: AuthRequest = { clientId: "storefront", redirectUri: "http://acme.localhost:3000/cb?keep=1", responseMode: "query", scope: "openid", state: "s&t" };

describe("callbackUrl", () => {
  it("answers in the query, keeping the redirect URI's own parameters", () => {
    const url = new URL(callbackUrl(ref, req, { code: "abc" }));
    expect(url.origin + url.pathname).toBe("http://acme.localhost:3000/cb");
    expect(Object.fromEntries(url.searchParams)).toEqual({ keep: "1", code: "abc", state: "s&t", iss: ref.issuer });
  });

  it("answers in the fragment for response_mode=fragment", () => {
    const url = new URL(callbackUrl(ref, { ...req, responseMode: "fragment" }, { code: "abc", session_state: "ses_1" }));
    expect(url.search).toBe("?keep=1");
    expect(Object.fromEntries(new URLSearchParams(url.hash.slice(1)))).toEqual({ code: "abc", session_state: "ses_1", state: "s&t", iss: ref.issuer });
  });
});

describe("discoveryDocument", () => {
  it("puts every endpoint under the realm's issuer", () => {
    const doc = discoveryDocument(ref.issuer);
    for (const key of ["authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri", "end_session_endpoint"] as const) {
      expect(doc[key].startsWith(`${ref.issuer}/protocol/openid-connect/`)).toBe(true);
    }
    expect(doc.code_challenge_methods_supported).toEqual(["S256"]);
  });
});
