import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type Browser, type BrowserContext, type Page, type Request } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_OPERATOR, DEMO_STORES } from "../../src/seed.ts";
import { CHROMIUM, freePort, launchChromium, startPlatform, stopEndToEnd, type RunningPlatform } from "./browser-helpers.ts";

// keycloak-js, unchanged, against Bazaar's own OIDC provider in real Chromium: the admin console's
// operator sign-in (redirect to the login form on the gateway, code + PKCE exchange, the tenant list
// fetched in the browser with the bearer token, token refresh, check-sso after a reload, sign-out),
// a wrong password, and a shopper signing in on a storefront.

const hasChromium = fs.existsSync(CHROMIUM);
if (!hasChromium) console.log(`[login] skipping: ${CHROMIUM} not installed (apt-get install -y chromium)`);

const TOKEN = "login-test-admin-token-0123456";
const START_TIMEOUT_MS = 240_000; // includes `next build` of both apps when their sources changed
const SHOTS = path.join(os.tmpdir(), "bazaar-e2e");
const [ACME] = DEMO_STORES;
const ACME_SHOPPER = ACME.accounts.find((a) => (a.roles as readonly string[]).includes("shopper"))!;

/** The claims of a JWT, unverified (the gateway verifies; this only reads what it carries). */
const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split(".")[1] ?? "", "base64url").toString()) as Record<string, unknown>;

interface TokenCall {
  grantType: string | null;
  form: URLSearchParams;
  status: number | null;
  accessToken: string | null;
}
interface ApiCall {
  authorization: string | undefined;
  status: number | null;
}

describe.skipIf(!hasChromium)("keycloak-js sign-in against the built-in provider, in a browser", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bazaar-login-"));
  fs.chmodSync(tmp, 0o755); // the embedded Postgres runs as `postgres` when we are root
  let platform: RunningPlatform | undefined;
  let child: ChildProcess | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let page: Page;
  let gateway: string; // the public URL: tokens are issued for `${gateway}/auth/realms/<realm>`
  let admin: string;
  let storefrontPort: number;
  const problems: string[] = [];
  let loginCard: unknown;
  const tokenCalls: TokenCall[] = [];
  const apiCalls: ApiCall[] = [];

  beforeAll(async () => {
    const gatewayPort = await freePort();
    const adminPort = await freePort();
    storefrontPort = await freePort();
    gateway = `http://localhost:${gatewayPort}`;
    admin = `http://localhost:${adminPort}`;
    const env = {
      BAZAAR_DATA_DIR: path.join(tmp, "data"),
      GATEWAY_PORT: String(gatewayPort),
      EMBEDDED_PG_PORT: String(await freePort()),
      STOREFRONT_PORT: String(storefrontPort),
      ADMIN_PORT: String(adminPort),
      BAZAAR_APPS: "true",
      BAZAAR_SEED: "true",
      BAZAAR_ADMIN_TOKEN: TOKEN,
      PUBLIC_URL: gateway,
      BAZAAR_PUBLIC_URL: gateway,
    };
    const t0 = performance.now();
    try {
      platform = await startPlatform(env, START_TIMEOUT_MS);
    } catch (err) {
      child = (err as { child?: ChildProcess }).child;
      throw err;
    }
    child = platform.child;
    const built = platform.output().match(/building \w+/g);
    console.log(`[login] platform ready in ${((performance.now() - t0) / 1000).toFixed(1)} s${built ? ` (${built.join(", ")})` : " (apps already built)"}`);

    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: "en-US" });
    fs.mkdirSync(SHOTS, { recursive: true });
    page = await watch(await context.newPage());
  }, START_TIMEOUT_MS + 60_000);

  afterAll(() => stopEndToEnd({ browser, child, platform, logFile: path.join(SHOTS, "login-platform.log"), tmp, tag: "login" }), 60_000);

  /** Record what a user would see in devtools, and every token endpoint and tenant API call. */
  async function watch(p: Page): Promise<Page> {
    p.on("pageerror", (err) => problems.push(`uncaught ${err.message}`));
    p.on("console", (msg) => {
      if (msg.type() === "error") problems.push(`console ${msg.text()} (${msg.location().url})`);
    });
    p.on("requestfailed", (req) => {
      // A navigation away aborts nothing we care about; anything else failing is a problem.
      if (req.failure()?.errorText !== "net::ERR_ABORTED") problems.push(`failed ${req.url()} (${req.failure()?.errorText})`);
    });
    p.on("response", (res) => {
      if (res.status() >= 400) problems.push(`${res.status()} ${res.request().method()} ${res.url()}`);
    });
    p.on("request", (req: Request) => {
      const url = new URL(req.url());
      if (req.method() === "POST" && url.pathname.endsWith("/protocol/openid-connect/token")) {
        const form = new URLSearchParams(req.postData() ?? "");
        const call: TokenCall = { grantType: form.get("grant_type"), form, status: null, accessToken: null };
        tokenCalls.push(call);
        void req.response().then(async (res) => {
          call.status = res?.status() ?? null;
          const body = (await res?.json().catch(() => null)) as { access_token?: string } | null;
          call.accessToken = body?.access_token ?? null;
        });
      }
      if (req.method() === "GET" && url.pathname === "/api/v1/platform/tenants") {
        const call: ApiCall = { authorization: req.headers().authorization, status: null };
        apiCalls.push(call);
        void req.response().then((res) => (call.status = res?.status() ?? null));
      }
    });
    return p;
  }

  async function screenshot(p: Page, name: string): Promise<void> {
    const file = path.join(SHOTS, `${name}.png`);
    await p.screenshot({ path: file, fullPage: true });
    console.log(`[login] screenshot ${file}`);
  }

  const sessionButton = (p: Page, name: string) => p.locator(".session").getByRole("button", { name, exact: true });
  const onLoginForm = (realm: string) => (url: URL) => url.origin === gateway && url.pathname === `/auth/realms/${realm}/protocol/openid-connect/auth`;

  /** The tenant table as the operator reads it: slug -> status. */
  async function tenantRows(p: Page): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const row of await p.locator("table.table tbody tr").all()) {
      out[(await row.locator("code").first().innerText()).trim()] = (await row.locator("td").nth(1).innerText()).trim();
    }
    return out;
  }

  it("an operator signs in to the admin console: login form on the gateway, code + PKCE, tenants fetched with the bearer token", async () => {
    await page.goto(`${admin}/`);
    // Out of the box the console shows the list with the bootstrap token and offers a sign-in.
    await expect.poll(() => page.locator(".source").getAttribute("data-source")).toBe("bootstrap");
    await sessionButton(page, "Sign in").click();

    await page.waitForURL(onLoginForm("platform"));
    const authorize = new URL(page.url());
    expect(Object.fromEntries([...authorize.searchParams].filter(([k]) => ["client_id", "response_type", "response_mode", "code_challenge_method"].includes(k)))).toEqual({
      client_id: "admin",
      response_type: "code",
      response_mode: "fragment",
      code_challenge_method: "S256",
    });
    expect(authorize.searchParams.get("redirect_uri")).toBe(`${admin}/`);
    await expect(page.locator("h1").innerText()).resolves.toBe("Sign in");
    await expect(page.locator(".realm").innerText()).resolves.toContain("Bazaar platform");
    await expect(page.title()).resolves.toBe("Sign in to platform");
    loginCard = await page.evaluate(`(() => { const s = getComputedStyle(document.querySelector(".card")); return { bg: s.backgroundColor, radius: s.borderTopLeftRadius }; })()`);
    await screenshot(page, "login-form");

    await page.locator("#username").fill(DEMO_OPERATOR.email);
    await page.locator("#password").fill(DEMO_OPERATOR.password);
    await page.getByRole("button", { name: "Sign in" }).click();

    await page.waitForURL((url) => url.origin === admin);
    await expect.poll(() => page.locator(".session__email").textContent(), { timeout: 15_000 }).toBe(DEMO_OPERATOR.email);
    await expect.poll(() => page.locator(".source").getAttribute("data-source")).toBe("operator");
    await expect.poll(() => page.locator(".source").getAttribute("data-state"), { timeout: 15_000 }).toBe("ok");
    await expect(page.locator(".source").innerText()).resolves.toContain(`Loaded from the API as ${DEMO_OPERATOR.email}`);
    // keycloak-js took the code and state out of the address bar.
    expect(page.url()).toBe(`${admin}/`);
    await expect.poll(() => tenantRows(page)).toEqual(Object.fromEntries(DEMO_STORES.map((s) => [s.slug, "active"])));
    await expect(sessionButton(page, "Sign out").isVisible()).resolves.toBe(true);

    // The code was exchanged with its PKCE verifier; the list came from the gateway with that token.
    const exchange = tokenCalls.filter((c) => c.grantType === "authorization_code");
    expect(exchange).toHaveLength(1);
    expect(exchange[0]!.form.get("client_id")).toBe("admin");
    expect(exchange[0]!.form.get("code_verifier")).toMatch(/^[A-Za-z0-9._~-]{43,128}$/);
    await expect.poll(() => exchange[0]!.accessToken).not.toBeNull();
    expect(exchange[0]!.status).toBe(200);
    const accessToken = exchange[0]!.accessToken!;
    expect(claims(accessToken)).toMatchObject({ iss: `${gateway}/auth/realms/platform`, email: DEMO_OPERATOR.email, azp: "admin", realm_access: { roles: ["operator"] } });
    expect(claims(accessToken).aud).toContain("bazaar-api");
    await expect.poll(() => apiCalls.at(-1)).toEqual({ authorization: `Bearer ${accessToken}`, status: 200 });
    expect(apiCalls.some((c) => c.authorization?.includes(TOKEN))).toBe(false);
    await screenshot(page, "admin-signed-in");
  });

  it("when the access token is about to expire, the next call refreshes it and the API accepts the new one", async () => {
    const before = tokenCalls.length;
    const [{ accessToken: first }] = tokenCalls.filter((c) => c.grantType === "authorization_code") as [TokenCall];
    // Move the browser's clock to 15 s before the 5-minute access token expires: the app asks
    // keycloak-js for a token with at least 30 s left (updateToken(30)), so it must refresh.
    await page.clock.install();
    await page.clock.fastForward("04:45");
    await page.locator(".source").getByRole("button", { name: "Reload" }).click();
    await expect.poll(() => tokenCalls.slice(before).map((c) => `${c.grantType} ${c.status}`)).toEqual(["refresh_token 200"]);
    const refresh = tokenCalls.at(-1)!;
    expect(refresh.form.get("client_id")).toBe("admin");
    await expect.poll(() => refresh.accessToken).not.toBeNull();
    expect(refresh.accessToken).not.toBe(first);
    await expect.poll(() => apiCalls.at(-1)).toEqual({ authorization: `Bearer ${refresh.accessToken}`, status: 200 });
    await expect.poll(() => page.locator(".source").getAttribute("data-state")).toBe("ok");
    await expect.poll(() => tenantRows(page)).toEqual(Object.fromEntries(DEMO_STORES.map((s) => [s.slug, "active"])));
  });

  it("after a reload the console is signed in again through check-sso, without the login form", async () => {
    const before = tokenCalls.length;
    const visited: URL[] = [];
    const onRequest = (req: Request) => {
      if (req.isNavigationRequest()) visited.push(new URL(req.url()));
    };
    page.on("request", onRequest);
    await page.reload();
    await expect.poll(() => page.locator(".session__email").textContent(), { timeout: 15_000 }).toBe(DEMO_OPERATOR.email);
    page.off("request", onRequest);
    // One silent round trip: prompt=none to the provider, answered from its SSO cookie with a new code.
    const trips = visited.filter(onLoginForm("platform"));
    expect(trips.map((u) => u.searchParams.get("prompt"))).toEqual(["none"]);
    expect(tokenCalls.slice(before).map((c) => `${c.grantType} ${c.status}`)).toEqual(["authorization_code 200"]);
    await expect.poll(() => page.locator(".source").getAttribute("data-state")).toBe("ok");
    expect(page.url()).toBe(`${admin}/`);
  });

  it("sign out ends the provider session: back in the console signed out, and signing in asks for the password again", async () => {
    const visited: URL[] = [];
    const onRequest = (req: Request) => {
      if (req.isNavigationRequest()) visited.push(new URL(req.url()));
    };
    page.on("request", onRequest);
    await sessionButton(page, "Sign out").click();
    await sessionButton(page, "Sign in").waitFor();
    page.off("request", onRequest);
    // keycloak-js went through the provider's logout (RP-initiated, id_token_hint) and came back here.
    const logout = visited.find((u) => u.origin === gateway && u.pathname === "/auth/realms/platform/protocol/openid-connect/logout");
    expect(logout?.searchParams.get("post_logout_redirect_uri")).toBe(`${admin}/`);
    expect(logout?.searchParams.get("id_token_hint")).toBeTruthy();
    expect(page.url()).toBe(`${admin}/`);
    await expect.poll(() => page.locator(".source").getAttribute("data-source")).toBe("bootstrap");
    await expect(page.locator(".session__email").count()).resolves.toBe(0);

    // No SSO session any more: the provider shows its form instead of signing straight back in.
    await sessionButton(page, "Sign in").click();
    await page.waitForURL(onLoginForm("platform"));
    await expect(page.locator("#password").isVisible()).resolves.toBe(true);
  });

  it("a wrong password keeps the operator on the login form with an error", async () => {
    expect(onLoginForm("platform")(new URL(page.url()))).toBe(true);
    await page.locator("#username").fill(DEMO_OPERATOR.email);
    await page.locator("#password").fill("not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").waitFor();
    await expect(page.getByRole("alert").innerText()).resolves.toBe("Invalid username or password");
    expect(onLoginForm("platform")(new URL(page.url()))).toBe(true);
    await expect(page.locator("#username").inputValue()).resolves.toBe(DEMO_OPERATOR.email);
    await expect(page.locator("#password").inputValue()).resolves.toBe("");
    await screenshot(page, "login-wrong-password");
    // Nothing was issued for it.
    expect(tokenCalls.filter((c) => c.status !== 200)).toEqual([]);
  });

  it("a shopper signs in on a storefront with the store's realm and sees their email in the header", async () => {
    const store = `http://${ACME.slug}.localhost:${storefrontPort}`;
    const shop = await watch(await context.newPage());
    await shop.goto(`${store}/`);
    await shop.locator(".shopper").getByRole("button", { name: "Sign in" }).click();
    await shop.waitForURL(onLoginForm(ACME.slug));
    expect(new URL(shop.url()).searchParams.get("client_id")).toBe("storefront");
    await expect(shop.locator(".realm").innerText()).resolves.toBe(`to ${ACME.slug}`);
    await shop.locator("#username").fill(ACME_SHOPPER.email);
    await shop.locator("#password").fill(ACME_SHOPPER.password);
    await shop.getByRole("button", { name: "Sign in" }).click();
    await shop.waitForURL((url) => url.origin === store);
    await expect.poll(() => shop.locator(".shopper__email").textContent(), { timeout: 15_000 }).toBe(ACME_SHOPPER.email);
    await expect(shop.locator("h1").innerText()).resolves.toBe(ACME.name);
    const exchange = tokenCalls.at(-1)!;
    expect(exchange.grantType).toBe("authorization_code");
    await expect.poll(() => exchange.accessToken).not.toBeNull();
    expect(claims(exchange.accessToken!)).toMatchObject({ iss: `${gateway}/auth/realms/${ACME.slug}`, email: ACME_SHOPPER.email, azp: "storefront" });
    await screenshot(shop, "storefront-signed-in");
    await shop.close();
  });

  it("the login page is styled: its inline CSS passes the page's Content-Security-Policy", () => {
    // A white rounded card, not the bare form a CSP without style-src 'unsafe-inline' would leave.
    expect(loginCard).toEqual({ bg: "rgb(255, 255, 255)", radius: "16px" });
  });

  it("no page had uncaught errors, console errors or failed requests", () => {
    expect(problems).toEqual([]);
  });
});
