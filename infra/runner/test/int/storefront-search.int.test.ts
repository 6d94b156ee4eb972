import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM, freePort, launchChromium, startPlatform, stopEndToEnd, type RunningPlatform } from "./browser-helpers.ts";

// A shopper browsing and searching a store in Chromium: the real platform (`pnpm start` with the
// Next apps) and a catalog made through the merchant API: categories, brands, attributes, 37
// products (one with size x colour variants), images from a small local image server.

const hasChromium = fs.existsSync(CHROMIUM);
if (!hasChromium) console.log(`[storefront-search] skipping: ${CHROMIUM} not installed (apt-get install -y chromium)`);

const TOKEN = "storefront-search-admin-token-0123";
const START_TIMEOUT_MS = 240_000; // includes `next build` of both apps on a fresh clone
const SHOTS = path.join(os.tmpdir(), "bazaar-storefront-search");
const STORE = {
  slug: "trailhead",
  name: "Trailhead Outfitters",
  ownerEmail: "owner@trailhead.test",
  plan: "growth",
  currency: "USD",
  theme: { primary: "#14532d", background: "#f6f8f4", foreground: "#1c2a1f", accent: "#65a30d", radius: "10px", font: "system-ui, sans-serif" },
};
const ADJECTIVES = ["Alpine", "Storm", "Ridge", "Canyon", "Glacier", "Cascade", "Coastal", "Forest", "Tundra", "Meadow"];
const JACKET_TYPES = [
  { name: "Shell Jacket", material: "Nylon", waterproof: true },
  { name: "Down Jacket", material: "Wool", waterproof: false },
  { name: "Rain Jacket", material: "Cotton", waterproof: true },
];
// 30 jackets: brands 12 Northwind, 12 Summit Gear, 6 Harbor & Co.
const BRANDS = ["northwind", "northwind", "summit-gear", "summit-gear", "harbor-co"] as const;
const PAGE_SIZE = 24;

describe.skipIf(!hasChromium)("storefront browse, search and product pages in a browser", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bazaar-sf-search-"));
  fs.chmodSync(tmp, 0o755); // the embedded Postgres runs as `postgres` when we are root
  let platform: RunningPlatform | undefined;
  let child: ChildProcess | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let images: http.Server | undefined;
  let gateway: string;
  let shop: string;
  /** Problems a user would see in devtools: uncaught errors, failed subresources. */
  const problems: string[] = [];

  /** The merchant API, as the store's owner would call it. */
  async function api(pathname: string, init: { method?: string; body?: unknown; tenant?: string } = {}) {
    const res = await fetch(gateway + pathname, {
      method: init.method ?? "GET",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json", "x-tenant": init.tenant ?? STORE.slug },
      ...(init.body ? { body: JSON.stringify(init.body) } : {}),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${init.method ?? "GET"} ${pathname} -> ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  }

  beforeAll(async () => {
    const imagePort = await freePort();
    images = http.createServer((req, res) => {
      res.writeHead(200, { "content-type": "image/svg+xml", "cache-control": "max-age=3600" });
      res.end(illustration(req.url ?? "/"));
    });
    await new Promise<void>((resolve) => images!.listen(imagePort, "127.0.0.1", resolve));
    const img = (name: string) => `http://127.0.0.1:${imagePort}/img/${name}.svg`;

    const storefront = await freePort();
    const gatewayPort = await freePort();
    gateway = `http://127.0.0.1:${gatewayPort}`;
    shop = `http://${STORE.slug}.localhost:${storefront}`;
    const env = {
      BAZAAR_DATA_DIR: path.join(tmp, "data"),
      GATEWAY_PORT: String(gatewayPort),
      PUBLIC_URL: `http://localhost:${gatewayPort}`,
      EMBEDDED_PG_PORT: String(await freePort()),
      STOREFRONT_PORT: String(storefront),
      ADMIN_PORT: String(await freePort()),
      BAZAAR_APPS: "true",
      BAZAAR_SEED: "false",
      BAZAAR_ADMIN_TOKEN: TOKEN,
    };
    try {
      platform = await startPlatform(env, START_TIMEOUT_MS);
    } catch (err) {
      child = (err as { child?: ChildProcess }).child;
      throw err;
    }
    child = platform.child;

    const tenant = await api("/api/v1/platform/tenants", { method: "POST", body: STORE });
    expect(tenant.status).toBe("active");
    const clothing = await api("/api/v1/admin/categories", { method: "POST", body: { name: "Clothing", slug: "clothing", position: 0 } });
    const jackets = await api("/api/v1/admin/categories", { method: "POST", body: { name: "Jackets", slug: "jackets", parentId: clothing.id, position: 0 } });
    const shirts = await api("/api/v1/admin/categories", { method: "POST", body: { name: "Shirts", slug: "shirts", parentId: clothing.id, position: 1 } });
    const footwear = await api("/api/v1/admin/categories", { method: "POST", body: { name: "Footwear", slug: "footwear", position: 1 } });
    const brandIds: Record<string, string> = {};
    for (const [slug, name] of [["northwind", "Northwind"], ["summit-gear", "Summit Gear"], ["harbor-co", "Harbor & Co"]]) {
      brandIds[slug!] = (await api("/api/v1/admin/brands", { method: "POST", body: { name, slug } })).id;
    }
    await api("/api/v1/admin/attributes", { method: "POST", body: { code: "material", name: "Material", type: "select", values: ["Nylon", "Wool", "Cotton", "Leather", "Linen"] } });
    await api("/api/v1/admin/attributes", { method: "POST", body: { code: "waterproof", name: "Waterproof", type: "boolean" } });

    for (let i = 0; i < 30; i++) {
      const type = JACKET_TYPES[Math.floor(i / 10)]!;
      const name = `${ADJECTIVES[i % 10]} ${type.name}`;
      const slug = name.toLowerCase().replace(/\s+/g, "-");
      const common = {
        name,
        slug,
        currency: "USD",
        description: `A ${type.name.toLowerCase()} for ${ADJECTIVES[i % 10]!.toLowerCase()} days.\n\nPacks small, layers well.`,
        brandId: brandIds[BRANDS[i % 5]!],
        categoryIds: [jackets.id],
        attributes: { material: type.material, waterproof: type.waterproof },
        images: [{ url: img(slug), alt: name }],
      };
      if (i === 0) {
        // Alpine Shell Jacket: sizes x colours, larger sizes dearer, one combination sold out.
        const sizes = ["S", "M", "L", "XL"];
        const colours = ["Red", "Navy"];
        await api("/api/v1/admin/products", {
          method: "POST",
          body: {
            ...common,
            images: [{ url: img(`${slug}-red`), alt: `${name} in red` }, { url: img(`${slug}-navy`), alt: `${name} in navy` }, { url: img(`${slug}-detail`), alt: "Zip detail" }],
            options: [{ name: "size", values: sizes }, { name: "colour", values: colours }],
            variants: sizes.flatMap((size) =>
              colours.map((colour) => ({
                sku: `ALP-SHELL-${size}-${colour.toUpperCase()}`,
                options: { size, colour },
                price: size === "L" || size === "XL" ? 13900 : 12900,
                stock: size === "XL" && colour === "Navy" ? 0 : size === "S" ? 3 : 12,
              })),
            ),
          },
        });
      } else {
        await api("/api/v1/admin/products", { method: "POST", body: { ...common, price: 5000 + i * 500, stock: i % 7 === 3 ? 0 : 10 } });
      }
    }
    for (const [name, material] of [["Flannel Shirt", "Cotton"], ["Linen Shirt", "Linen"], ["Merino Tee", "Wool"], ["Oxford Shirt", "Cotton"]] as const) {
      const slug = name.toLowerCase().replace(/\s+/g, "-");
      await api("/api/v1/admin/products", {
        method: "POST",
        body: { name, slug, currency: "USD", price: 3900, stock: 5, brandId: brandIds["harbor-co"], categoryIds: [shirts.id], attributes: { material }, images: [{ url: img(slug), alt: name }] },
      });
    }
    for (const name of ["Trail Boots", "Hiking Boots", "Winter Boots"]) {
      const slug = name.toLowerCase().replace(/\s+/g, "-");
      await api("/api/v1/admin/products", {
        method: "POST",
        body: { name, slug, currency: "USD", price: 14900, stock: 4, brandId: brandIds["summit-gear"], categoryIds: [footwear.id], attributes: { material: "Leather", waterproof: true }, images: [{ url: img(slug), alt: name }] },
      });
    }

    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-US" });
    fs.mkdirSync(SHOTS, { recursive: true });
  }, START_TIMEOUT_MS + 120_000);

  afterAll(async () => {
    await stopEndToEnd({ browser, child, platform, logFile: path.join(SHOTS, "platform.log"), tmp, tag: "storefront-search" });
    await new Promise((resolve) => (images ? images.close(resolve) : resolve(undefined)));
  }, 60_000);

  /** A fresh tab that records page errors and failed subresources. */
  async function newPage(ctx: BrowserContext = context): Promise<Page> {
    const page = await ctx.newPage();
    const where = () => page.url();
    page.on("pageerror", (err) => problems.push(`${where()}: uncaught ${err.message}`));
    page.on("console", (msg) => {
      if (msg.type() === "error" && !/status of 404/.test(msg.text())) problems.push(`${where()}: console ${msg.text()}`);
    });
    page.on("response", (res) => {
      if (res.request().resourceType() !== "document" && res.status() >= 400) problems.push(`${where()}: ${res.status()} ${res.url()}`);
    });
    // A superseded autocomplete request is aborted on purpose; a context without JavaScript blocks scripts ("csp").
    page.on("requestfailed", (req) => {
      const error = req.failure()?.errorText;
      if (error === "net::ERR_ABORTED" || (error === "csp" && req.resourceType() === "script")) return;
      problems.push(`${where()}: failed ${req.url()} (${error})`);
    });
    return page;
  }

  /** A full-page screenshot (lazy images scrolled into view first), or just the viewport. */
  async function screenshot(page: Page, name: string, opts: { fullPage?: boolean } = {}): Promise<void> {
    const fullPage = opts.fullPage ?? true;
    if (fullPage) {
      await page.evaluate(`(async () => { for (let y = 0; y < document.body.scrollHeight; y += innerHeight / 2) { scrollTo(0, y); await new Promise((r) => setTimeout(r, 30)); } scrollTo(0, 0); })()`);
      await expect.poll(() => page.evaluate(`[...document.images].every((i) => i.complete && i.naturalWidth > 0)`)).toBe(true);
    }
    const file = path.join(SHOTS, `${name}.png`);
    await page.screenshot({ path: file, fullPage });
    console.log(`[storefront-search] screenshot ${file}`);
  }

  const cardNames = (page: Page) => page.locator(".bz-card .bz-card__title").allInnerTexts();
  const resultCount = (page: Page) => page.locator("#results-count").innerText();
  /** Every <img> on the page finished loading with real pixels. */
  const imagesLoaded = (page: Page) =>
    page.evaluate(`[...document.images].filter((i) => i.loading !== "lazy" || i.getBoundingClientRect().top < innerHeight).every((i) => i.complete && i.naturalWidth > 0)`);

  async function search(page: Page, text: string): Promise<void> {
    const box = page.getByRole("combobox", { name: "Search products" });
    await box.fill(text);
    await Promise.all([page.waitForURL((u) => u.searchParams.get("q") === text), box.press("Enter")]);
  }

  it("searches by text, shows counts and facets, narrows by brand and pages with a cursor", async () => {
    const page = await newPage();
    const home = await page.goto(`${shop}/`);
    expect(home?.status()).toBe(200);
    await expect(page.locator("h1").innerText()).resolves.toBe(STORE.name);
    await expect(resultCount(page)).resolves.toBe("37 products");

    await search(page, "jacket");
    await expect(page.locator("h1").innerText()).resolves.toBe("Results for “jacket”");
    await expect(resultCount(page)).resolves.toBe("30 products");
    const first = await cardNames(page);
    expect(first).toHaveLength(PAGE_SIZE);
    for (const name of first) expect(name).toMatch(/Jacket$/);
    await expect.poll(() => imagesLoaded(page)).toBe(true);

    // Facets: the category tree with counts, brands, price bands, attributes, stock.
    const facets = page.locator(".facets");
    await expect(facets.getByRole("link", { name: /^Clothing 30/ }).count()).resolves.toBe(1);
    await expect(facets.getByRole("link", { name: /^Jackets 30/ }).count()).resolves.toBe(1);
    await expect(facets.getByRole("link", { name: /^Northwind 12/ }).count()).resolves.toBe(1);
    await expect(facets.getByRole("link", { name: /^Harbor & Co 6/ }).count()).resolves.toBe(1);
    await expect(facets.getByRole("link", { name: /^Nylon 10/ }).count()).resolves.toBe(1);
    await expect(facets.locator(".facet__title").allInnerTexts()).resolves.toEqual(expect.arrayContaining(["CATEGORY", "BRAND", "PRICE", "MATERIAL", "WATERPROOF", "AVAILABILITY"]));
    await screenshot(page, "search-desktop");

    // A brand narrows the list; the other brands stay offered with their own counts.
    await Promise.all([page.waitForURL(/brand=harbor-co/), facets.getByRole("link", { name: /^Harbor & Co 6/ }).click()]);
    await expect(resultCount(page)).resolves.toBe("6 products");
    expect(await cardNames(page)).toHaveLength(6);
    for (const eyebrow of await page.locator(".bz-card__eyebrow").allInnerTexts()) expect(eyebrow.toLowerCase()).toBe("harbor & co");
    await expect(facets.locator('a[aria-current="true"]').allInnerTexts()).resolves.toEqual([expect.stringMatching(/^Harbor & Co\s*6/)]);
    await expect(facets.getByRole("link", { name: /^Northwind 12/ }).count()).resolves.toBe(1);
    // Adding a second brand widens it again ("or").
    await Promise.all([page.waitForURL(/brand=harbor-co%2Cnorthwind/), facets.getByRole("link", { name: /^Northwind 12/ }).click()]);
    await expect(resultCount(page)).resolves.toBe("18 products");
    await screenshot(page, "search-brands-desktop");
    // The chip removes a filter; "Clear all" removes every one and keeps the search.
    await Promise.all([page.waitForURL((u) => !u.searchParams.has("brand")), page.getByRole("link", { name: "Clear all" }).click()]);
    await expect(resultCount(page)).resolves.toBe("30 products");
    expect(new URL(page.url()).searchParams.get("q")).toBe("jacket");

    // Cursor pagination: the rest of the 30 on page two, none twice.
    await Promise.all([page.waitForURL(/cursor=/), page.getByRole("link", { name: "More products →" }).click()]);
    const second = await cardNames(page);
    expect(second).toHaveLength(30 - PAGE_SIZE);
    expect(new Set([...first, ...second]).size).toBe(30);
    await expect(page.locator(".pager__status").innerText()).resolves.toBe("Page 2 of 2");
    await expect(page.getByRole("link", { name: "More products →" }).count()).resolves.toBe(0);
    await Promise.all([page.waitForURL((u) => !u.searchParams.has("cursor")), page.getByRole("link", { name: "← First page" }).click()]);
    expect(await cardNames(page)).toEqual(first);

    // Sorting keeps the search and the filters.
    await Promise.all([page.waitForURL(/sort=price_asc/), page.getByLabel("Sort by").selectOption("price_asc")]);
    const prices = await page.locator(".bz-card .bz-price").allInnerTexts();
    const cents = prices.map((p) => Number(p.replace(/[^0-9]/g, "")));
    expect(cents).toEqual([...cents].sort((a, b) => a - b));
    expect(new URL(page.url()).searchParams.get("q")).toBe("jacket");
    await page.close();
  });

  it("filters by category, price band, attribute and stock through plain links", async () => {
    const page = await newPage();
    await page.goto(`${shop}/`);
    const facets = page.locator(".facets");
    await Promise.all([page.waitForURL(/category=clothing/), facets.getByRole("link", { name: /^Clothing 34/ }).click()]);
    await expect(page.locator("h1").innerText()).resolves.toBe("Clothing");
    await expect(resultCount(page)).resolves.toBe("34 products");
    await Promise.all([page.waitForURL(/category=shirts/), facets.getByRole("link", { name: /^Shirts 4/ }).click()]);
    await expect(resultCount(page)).resolves.toBe("4 products");
    await Promise.all([page.waitForURL(/attr\.material=Linen/), facets.getByRole("link", { name: /^Linen 1/ }).click()]);
    expect(await cardNames(page)).toEqual(["Linen Shirt"]);
    await page.goto(`${shop}/?category=jackets`);
    await Promise.all([page.waitForURL(/maxPrice=9999/), facets.getByRole("link", { name: /^\$50 – \$100/ }).click()]);
    const prices = (await page.locator(".bz-card .bz-price").allInnerTexts()).map((p) => Number(p.replace(/[^0-9]/g, "")));
    expect(prices.length).toBeGreaterThan(0);
    for (const p of prices) expect(p >= 5000 && p < 10000).toBe(true);
    await expect(page.locator(".chip").allInnerTexts()).resolves.toEqual([expect.stringContaining("Jackets"), expect.stringContaining("$50 – $100")]);
    const before = Number((await resultCount(page)).split(" ")[0]);
    await Promise.all([page.waitForURL(/inStock=true/), facets.getByRole("link", { name: /^In stock only/ }).click()]);
    expect(Number((await resultCount(page)).split(" ")[0])).toBeLessThan(before);

    // Nothing matches: say so and offer the way out.
    await page.goto(`${shop}/?q=boots&brand=harbor-co`);
    await expect(page.getByRole("heading", { name: "No products match" }).count()).resolves.toBe(1);
    await Promise.all([page.waitForURL((u) => !u.searchParams.has("brand")), page.getByRole("link", { name: "Clear the filters" }).click()]);
    await expect(resultCount(page)).resolves.toBe("3 products");
    await page.close();
  });

  it("reads a mistyped word as the catalog's word and says so", async () => {
    const page = await newPage();
    await page.goto(`${shop}/`);
    await search(page, "jakcet");
    await expect(page.locator(".correction").innerText()).resolves.toContain("Showing results for jacket");
    await expect(resultCount(page)).resolves.toBe("30 products");
    await screenshot(page, "typo-desktop");
    await page.close();
  });

  it("opens a product from the autocomplete and picks a variant by size and colour", async () => {
    const page = await newPage();
    await page.goto(`${shop}/`);
    const box = page.getByRole("combobox", { name: "Search products" });
    // Suggestions come from the storefront's own origin (it forwards them to the gateway for this store).
    const suggested = page.waitForResponse((r) => r.url().startsWith(`${shop}/api/v1/search/suggest?q=alpine+sh`) && r.status() === 200);
    await box.pressSequentially("alpine sh", { delay: 30 });
    await suggested;
    const list = page.getByRole("listbox", { name: "Suggestions" });
    await expect.poll(() => list.getByRole("option").allInnerTexts()).toContainEqual(expect.stringContaining("Alpine Shell Jacket"));
    await expect(box.getAttribute("aria-expanded")).resolves.toBe("true");
    await box.press("Escape");
    await expect(box.getAttribute("aria-expanded")).resolves.toBe("false");
    await box.press("ArrowDown");
    await expect(box.getAttribute("aria-expanded")).resolves.toBe("true");
    await expect(box.getAttribute("aria-activedescendant")).resolves.toMatch(/-0$/);
    await box.press("ArrowUp");
    // Arrow down to it, then Enter.
    const options = await list.getByRole("option").allInnerTexts();
    const index = options.findIndex((o) => o.includes("Alpine Shell Jacket"));
    for (let i = 0; i <= index; i++) await box.press("ArrowDown");
    const active = await box.getAttribute("aria-activedescendant");
    await expect(page.locator(`[id="${active}"]`).innerText()).resolves.toContain("Alpine Shell Jacket");
    await Promise.all([page.waitForURL(/\/products\/alpine-shell-jacket/), box.press("Enter")]);

    await expect(page.locator("h1").innerText()).resolves.toBe("Alpine Shell Jacket");
    await expect(page.locator(".product__brand").innerText()).resolves.toMatch(/northwind/i);
    const price = page.locator(".picker__price .bz-price");
    const stock = page.locator(".picker__stock");
    await expect(price.innerText()).resolves.toBe("$129.00");
    await expect(stock.innerText()).resolves.toBe("Only 3 left");
    await expect(page.locator(".gallery__thumb").count()).resolves.toBe(3);
    await expect.poll(() => imagesLoaded(page)).toBe(true);
    await expect(page.locator(".specs").innerText()).resolves.toMatch(/Material\s+Nylon[\s\S]*Waterproof\s+Yes/);
    await screenshot(page, "product-desktop");

    await page.getByRole("radio", { name: "L", exact: true }).check({ force: true });
    await expect.poll(() => price.innerText()).toBe("$139.00");
    await expect(stock.innerText()).resolves.toBe("In stock");
    expect(new URL(page.url()).searchParams.get("variant")).toBe("ALP-SHELL-L-RED");
    await page.getByRole("radio", { name: "XL", exact: true }).check({ force: true });
    await page.getByRole("radio", { name: /Navy/ }).check({ force: true });
    await expect.poll(() => stock.innerText()).toBe("Out of stock");
    await expect(price.innerText()).resolves.toBe("$139.00");
    await page.getByRole("radio", { name: "S", exact: true }).check({ force: true });
    await expect.poll(() => price.innerText()).toBe("$129.00");
    await expect(stock.innerText()).resolves.toBe("Only 3 left");
    await expect(page.getByRole("button", { name: "Add to cart" }).isDisabled()).resolves.toBe(true);

    // The link keeps the choice; categories lead back to the filtered catalog.
    await page.reload();
    await expect(page.locator(".picker__price .bz-price").innerText()).resolves.toBe("$129.00");
    await expect(page.getByRole("radio", { name: /Navy/ }).isChecked()).resolves.toBe(true);
    await Promise.all([page.waitForURL(/\/\?category=jackets$/), page.locator(".crumbs").getByRole("link", { name: "Jackets" }).click()]);
    await expect(page.locator("h1").innerText()).resolves.toBe("Jackets");
    await page.close();
  });

  it("answers 404 for a product the store does not sell", async () => {
    const page = await newPage();
    const res = await page.goto(`${shop}/products/no-such-thing`);
    expect(res?.status()).toBe(404);
    await expect(page.locator("h1").innerText()).resolves.toBe("We couldn’t find that product");
    await expect(page.locator(".store__brand").innerText()).resolves.toContain(STORE.name);
    // On a host with no store, a product path is the site-wide 404.
    const port = new URL(shop).port;
    const none = await page.goto(`http://nosuch.localhost:${port}/products/alpine-shell-jacket`);
    expect(none?.status()).toBe(404);
    await expect(page.locator("body").innerText()).resolves.toContain("There is no store at this address");
    await page.close();
  });

  it("works without JavaScript: search, facet links and sorting are plain GETs", async () => {
    const noJs = await browser!.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 }, locale: "en-US" });
    try {
      const page = await newPage(noJs);
      await page.goto(`${shop}/`);
      await page.getByRole("combobox", { name: "Search products" }).fill("boots");
      await Promise.all([page.waitForURL(/\?q=boots$/), page.getByRole("button", { name: "Search" }).click()]);
      await expect(resultCount(page)).resolves.toBe("3 products");
      await page.goto(`${shop}/?q=jacket`);
      await Promise.all([page.waitForURL(/brand=summit-gear/), page.locator(".facets").getByRole("link", { name: /^Summit Gear 12/ }).click()]);
      await expect(resultCount(page)).resolves.toBe("12 products");
      await page.getByLabel("Sort by").selectOption("price_desc");
      await Promise.all([page.waitForURL(/sort=price_desc/), page.getByRole("button", { name: "Apply" }).click()]);
      const url = new URL(page.url());
      expect([url.searchParams.get("q"), url.searchParams.get("brand")]).toEqual(["jacket", "summit-gear"]);
      const cents = (await page.locator(".bz-card .bz-price").allInnerTexts()).map((p) => Number(p.replace(/[^0-9]/g, "")));
      expect(cents).toEqual([...cents].sort((a, b) => b - a));
    } finally {
      await noJs.close();
    }
  });

  it("fits a phone: one column, filters behind a disclosure", async () => {
    const phone = await browser!.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: "en-US" });
    try {
      const page = await newPage(phone);
      await page.goto(`${shop}/?q=jacket`);
      const overflow = await page.evaluate(`document.documentElement.scrollWidth - document.documentElement.clientWidth`);
      expect(overflow).toBe(0);
      await expect(page.locator(".facets").isVisible()).resolves.toBe(false);
      await screenshot(page, "search-mobile-top", { fullPage: false });
      await screenshot(page, "search-mobile");
      await page.getByText(/^Filters/).click();
      await expect(page.locator(".facets").isVisible()).resolves.toBe(true);
      await screenshot(page, "search-mobile-filters", { fullPage: false });
      await page.goto(`${shop}/products/alpine-shell-jacket`);
      expect(await page.evaluate(`document.documentElement.scrollWidth - document.documentElement.clientWidth`)).toBe(0);
      await screenshot(page, "product-mobile-top", { fullPage: false });
      await page.evaluate(`scrollTo(0, innerHeight * 0.8)`);
      await screenshot(page, "product-mobile-picker", { fullPage: false });
    } finally {
      await phone.close();
    }
  });

  it("no page had uncaught errors or failed subresources", () => {
    expect(problems).toEqual([]);
  });
});

/** A product illustration: a garment or boot silhouette on a soft background, colours from the name. */
function illustration(url: string): string {
  const name = decodeURIComponent(url.split("/").pop() ?? "").replace(/\.svg$/, "");
  let h = 0;
  for (const c of name) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  const hue = name.includes("red") ? 4 : name.includes("navy") ? 222 : h % 360;
  const bg = `hsl(${(hue + 40) % 360} 45% 92%)`;
  const fg = `hsl(${hue} 55% 42%)`;
  const shape = /boots/.test(name)
    ? `<path d="M150 80h70v110c30 8 70 18 90 34v26H140l-6-20z" fill="${fg}"/><rect x="134" y="236" width="176" height="14" rx="6" fill="hsl(${hue} 40% 25%)"/>`
    : /shirt|tee/.test(name)
      ? `<path d="M160 60l40 16 40-16 70 34-22 46-28-12v132H140V128l-28 12-22-46z" fill="${fg}"/><path d="M186 66l14 30 14-30" fill="none" stroke="hsl(${hue} 40% 28%)" stroke-width="4"/>`
      : `<path d="M160 56l40 20 40-20 74 40-12 104-30-10v80H128v-80l-30 10-12-104z" fill="${fg}"/><path d="M200 76v190" stroke="hsl(${hue} 40% 25%)" stroke-width="5"/>${name.includes("detail") ? `<circle cx="200" cy="140" r="60" fill="none" stroke="#fff" stroke-width="6"/>` : ""}`;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 300" width="800" height="600"><rect width="400" height="300" fill="${bg}"/>${shape}</svg>`;
}
