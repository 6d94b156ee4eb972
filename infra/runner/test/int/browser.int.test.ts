import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type Browser, type BrowserContext, type Page, type Response } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_STORES, demoCatalogOf } from "../../src/seed.ts";
import { CHROMIUM, freePort, hexToRgb, launchChromium, startPlatform, stopEndToEnd, type RunningPlatform } from "./browser-helpers.ts";

// What a shopper and an operator see: the real platform (`pnpm start` with the Next apps) driven
// through Debian's Chromium.

const hasChromium = fs.existsSync(CHROMIUM);
if (!hasChromium) console.log(`[browser] skipping: ${CHROMIUM} not installed (apt-get install -y chromium)`);

const TOKEN = "browser-test-admin-token-0123";
const START_TIMEOUT_MS = 240_000; // includes `next build` of both apps on a fresh clone
const SHOTS = path.join(os.tmpdir(), "bazaar-e2e");

const [ACME, VOLT] = DEMO_STORES;
const money = (cents: number, currency: string) => new Intl.NumberFormat("en-US", { style: "currency", currency }).format(cents / 100);
/** What each store's seeded catalog shows a shopper: active products, name -> "from" price. */
const shown = (store: (typeof DEMO_STORES)[number]) =>
  Object.fromEntries(
    demoCatalogOf(store)
      .products.filter((p) => p.status === "active")
      .map((p) => [p.name, money(Math.min(...p.variants.map((v) => v.price)), store.currency)]),
  );
const ACME_SHOWN = shown(ACME);
const VOLT_SHOWN = shown(VOLT);

describe.skipIf(!hasChromium)("the storefront and admin in a browser", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bazaar-browser-"));
  fs.chmodSync(tmp, 0o755); // the embedded Postgres runs as `postgres` when we are root
  let platform: RunningPlatform | undefined;
  let child: ChildProcess | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let storefront: number;
  let admin: number;
  /** Problems a user would see in devtools: uncaught errors, failed subresources. */
  const problems: string[] = [];

  beforeAll(async () => {
    storefront = await freePort();
    admin = await freePort();
    const env = {
      BAZAAR_DATA_DIR: path.join(tmp, "data"),
      GATEWAY_PORT: String(await freePort()),
      EMBEDDED_PG_PORT: String(await freePort()),
      STOREFRONT_PORT: String(storefront),
      ADMIN_PORT: String(admin),
      BAZAAR_APPS: "true",
      BAZAAR_SEED: "true",
      BAZAAR_ADMIN_TOKEN: TOKEN,
    };
    const t0 = performance.now();
    try {
      platform = await startPlatform(env, START_TIMEOUT_MS);
    } catch (err) {
      child = (err as { child?: ChildProcess }).child;
      throw err;
    }
    child = platform.child;
    // The runner checked both apps answer before it said so; make sure they still do, from here.
    for (const port of [storefront, admin]) {
      const res = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(15_000) }).catch((err: Error) => err);
      if (res instanceof Error) throw new Error(`app on port ${port} does not answer (${res.message}); platform output:\n${platform.output()}`);
    }
    const built = platform.output().match(/building \w+/g);
    console.log(`[browser] platform ready in ${((performance.now() - t0) / 1000).toFixed(1)} s${built ? ` (${built.join(", ")})` : " (apps already built)"}`);

    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-US" });
    fs.mkdirSync(SHOTS, { recursive: true });
  }, START_TIMEOUT_MS + 60_000);

  afterAll(() => stopEndToEnd({ browser, child, platform, logFile: path.join(SHOTS, "platform.log"), tmp, tag: "browser" }), 60_000);

  /** Open a URL in a fresh tab, recording page errors and failed subresources. */
  async function open(url: string): Promise<{ page: Page; response: Response }> {
    const page = await context.newPage();
    page.on("pageerror", (err) => problems.push(`${url}: uncaught ${err.message}`));
    page.on("console", (msg) => {
      if (msg.type() === "error" && !/status of 404/.test(msg.text())) problems.push(`${url}: console ${msg.text()}`);
    });
    page.on("response", (res) => {
      if (res.url() !== url && res.status() >= 400) problems.push(`${url}: ${res.status()} ${res.url()}`);
    });
    page.on("requestfailed", (req) => problems.push(`${url}: failed ${req.url()} (${req.failure()?.errorText})`));
    const response = await page.goto(url, { waitUntil: "load" });
    if (!response) throw new Error(`no response for ${url}`);
    return { page, response };
  }

  async function screenshot(page: Page, name: string): Promise<void> {
    const file = path.join(SHOTS, `${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    console.log(`[browser] screenshot ${file}`);
  }

  /** The product grid as a shopper reads it: name -> price text. */
  async function catalog(page: Page): Promise<Record<string, string>> {
    const cards = page.locator(".bz-card");
    const out: Record<string, string> = {};
    for (const card of await cards.all()) {
      out[(await card.locator(".bz-card__title").innerText()).trim()] = (await card.locator(".bz-price").innerText()).trim();
    }
    return out;
  }

  /** The store's themed surface (`.store` carries the theme's CSS variables). */
  const themeOf = (page: Page) =>
    page.evaluate<{ background: string; color: string; font: string }>(
      `(() => { const s = getComputedStyle(document.querySelector(".store")); return { background: s.backgroundColor, color: s.color, font: s.fontFamily }; })()`,
    );

  it("each store's host shows its own name, catalog, currency and theme", async () => {
    const acme = await open(`http://acme.localhost:${storefront}/`);
    expect(acme.response.status()).toBe(200);
    await expect.poll(() => acme.page.title()).toBe(ACME.name);
    await expect(acme.page.locator("h1").innerText()).resolves.toBe(ACME.name);
    const acmeCatalog = await catalog(acme.page);
    expect(Object.keys(acmeCatalog).length).toBeGreaterThanOrEqual(12);
    for (const [name, price] of Object.entries(acmeCatalog)) expect(price, name).toBe(ACME_SHOWN[name]);
    await screenshot(acme.page, "acme");

    const volt = await open(`http://volt.localhost:${storefront}/`);
    expect(volt.response.status()).toBe(200);
    await expect.poll(() => volt.page.title()).toBe(VOLT.name);
    await expect(volt.page.locator("h1").innerText()).resolves.toBe(VOLT.name);
    const voltCatalog = await catalog(volt.page);
    expect(Object.keys(voltCatalog).length).toBeGreaterThanOrEqual(12);
    for (const [name, price] of Object.entries(voltCatalog)) expect(price, name).toBe(VOLT_SHOWN[name]);
    await screenshot(volt.page, "volt");

    // Isolation: neither store shows anything of the other.
    const acmeText = await acme.page.locator("body").innerText();
    const voltText = await volt.page.locator("body").innerText();
    for (const name of Object.keys(VOLT_SHOWN)) expect(acmeText).not.toContain(name);
    for (const name of Object.keys(ACME_SHOWN)) expect(voltText).not.toContain(name);
    expect(acmeText).not.toContain(VOLT.name);
    expect(voltText).not.toContain(ACME.name);
    expect(acmeText).not.toContain("€");
    expect(voltText).not.toContain("$");

    // Each store wears its own theme: Acme's warm light page, Volt's dark one.
    const acmeTheme = await themeOf(acme.page);
    const voltTheme = await themeOf(volt.page);
    expect(acmeTheme.background).toBe(hexToRgb(ACME.theme.background));
    expect(voltTheme.background).toBe(hexToRgb(VOLT.theme.background));
    expect(acmeTheme.color).toBe(hexToRgb(ACME.theme.foreground));
    expect(voltTheme.color).toBe(hexToRgb(VOLT.theme.foreground));
    expect(acmeTheme.background).not.toBe(voltTheme.background);
    expect(acmeTheme.font).toContain("Georgia");
    expect(voltTheme.font).toContain("Inter");
    await acme.page.close();
    await volt.page.close();
  });

  it("an unknown store renders a 404 page, not some other store", async () => {
    const { page, response } = await open(`http://nosuch.localhost:${storefront}/`);
    expect(response.status()).toBe(404);
    const text = await page.locator("body").innerText();
    expect(text).toContain("Nothing here");
    expect(text).toContain("There is no store at this address");
    for (const s of DEMO_STORES) {
      expect(text).not.toContain(s.name);
      for (const name of Object.keys(shown(s))) expect(text).not.toContain(name);
    }
    expect(await page.locator(".bz-card").count()).toBe(0);
    await screenshot(page, "nosuch");
    await page.close();
  });

  it("the admin console lists both demo tenants as active", async () => {
    const { page, response } = await open(`http://localhost:${admin}/`);
    expect(response.status()).toBe(200);
    await expect(page.locator("h1").innerText()).resolves.toBe("Tenants");
    const rows = await page.locator("table.table tbody tr").all();
    const tenants: Record<string, { name: string; status: string; currency: string; failedServices: number }> = {};
    for (const row of rows) {
      const slug = (await row.locator("code").first().innerText()).trim();
      tenants[slug] = {
        name: (await row.locator(".tenant-name").innerText()).trim(),
        status: (await row.locator("td").nth(1).innerText()).trim(),
        currency: (await row.locator("td").nth(3).innerText()).trim(),
        failedServices: await row.locator(".bz-badge--danger").count(),
      };
    }
    for (const s of DEMO_STORES) {
      expect(tenants[s.slug], `admin row for ${s.slug}`).toEqual({ name: s.name, status: "active", currency: s.currency, failedServices: 0 });
    }
    await screenshot(page, "admin");
    await page.close();
  });

  it("no page had uncaught errors or failed subresources", () => {
    expect(problems).toEqual([]);
  });
});
