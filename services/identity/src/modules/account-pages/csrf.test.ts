import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { deriveKey } from "../../lib/crypto.ts";
import { createCsrf, CSRF_COOKIE, csrfToken, csrfTokenValid, newCsrfNonce } from "./csrf.ts";

describe("csrf tokens (signed double submit)", () => {
  const key = deriveKey("a-service-secret-of-some-length", "csrf:v1");
  const nonce = newCsrfNonce();
  const b = { realm: "acme", form: "register", nonce };
  const now = 1_800_000_000;

  it("accepts its own token while fresh", () => {
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const token = csrfToken(key, b, now);
    expect(token).toMatch(/^\d+\.[A-Za-z0-9_-]{43}$/);
    expect(csrfTokenValid(key, b, token, now, 3600)).toBe(true);
    expect(csrfTokenValid(key, b, token, now + 3600, 3600)).toBe(true);
  });

  it("refuses old, future, missing or malformed tokens", () => {
    const token = csrfToken(key, b, now);
    expect(csrfTokenValid(key, b, token, now + 3601, 3600)).toBe(false);
    expect(csrfTokenValid(key, b, csrfToken(key, b, now + 120), now, 3600)).toBe(false);
    for (const bad of [undefined, "", "x", `${now}.`, `${now}.${"a".repeat(43)}`, ["array"], token + "a"]) {
      expect(csrfTokenValid(key, b, bad, now, 3600)).toBe(false);
    }
  });

  it("binds the token to the browser's nonce, the realm, the form and the key", () => {
    const token = csrfToken(key, b, now);
    expect(csrfTokenValid(key, { ...b, nonce: newCsrfNonce() }, token, now, 3600)).toBe(false);
    expect(csrfTokenValid(key, { ...b, realm: "volt" }, token, now, 3600)).toBe(false);
    expect(csrfTokenValid(key, { ...b, form: "reset-request" }, token, now, 3600)).toBe(false);
    expect(csrfTokenValid(deriveKey("another-secret-entirely", "csrf:v1"), b, token, now, 3600)).toBe(false);
    // Changing the time inside the token breaks the MAC.
    const [, mac] = token.split(".");
    expect(csrfTokenValid(key, b, `${now - 1}.${mac}`, now, 3600)).toBe(false);
  });

  it("sets a realm-scoped HttpOnly cookie once and checks POSTs against it", async () => {
    const csrf = createCsrf({ key, clock: () => new Date(now * 1000), secure: false });
    const app = new Hono()
      .get("/auth/realms/acme/form", (c) => c.text(csrf.issue(c, "acme", "register")))
      .post("/auth/realms/acme/form", async (c) => c.text(String(csrf.check(c, "acme", "register", (await c.req.parseBody()).csrf))));
    const first = await app.request("/auth/realms/acme/form");
    const setCookie = first.headers.get("set-cookie") ?? "";
    expect(setCookie).toMatch(new RegExp(`^${CSRF_COOKIE}=[A-Za-z0-9_-]{22}; Path=/auth/realms/acme/; HttpOnly; SameSite=Lax$`));
    const cookie = setCookie.split(";")[0]!;
    const token = await first.text();
    // The same browser keeps its nonce (no new cookie) and gets tokens for it.
    const again = await app.request("/auth/realms/acme/form", { headers: { cookie } });
    expect(again.headers.get("set-cookie")).toBeNull();

    const post = (headers: Record<string, string>, body: Record<string, string>) =>
      app.request("/auth/realms/acme/form", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", ...headers }, body: new URLSearchParams(body).toString() });
    expect(await (await post({ cookie }, { csrf: token })).text()).toBe("true");
    expect(await (await post({ cookie }, {})).text()).toBe("false");
    expect(await (await post({}, { csrf: token })).text()).toBe("false");
    expect(await (await post({ cookie: `${CSRF_COOKIE}=${newCsrfNonce()}` }, { csrf: token })).text()).toBe("false");
  });
});
