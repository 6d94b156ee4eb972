import { describe, expect, it } from "vitest";
import { CreateAttributeBody, ImportProduct } from "@bazaar/contracts";
import { DEMO_KINDS, MAX_VARIANTS, SPECS, demoProducts, demoTaxonomy, generateCatalog, type DemoCatalog } from "./generate.ts";
import { parseDemoImage, renderDemoImage } from "./media.ts";

const catalogs = new Map<string, DemoCatalog>();
const catalog = (kind: (typeof DEMO_KINDS)[number], count: number) => {
  const key = `${kind}:${count}`;
  if (!catalogs.has(key)) catalogs.set(key, generateCatalog(kind, count));
  return catalogs.get(key)!;
};

describe.each(DEMO_KINDS)("the %s demo catalog", (kind) => {
  it.each([300, 10_000])("has %i products that all pass ImportProduct, with unique slugs and SKUs", (count) => {
    const { products } = catalog(kind, count);
    expect(products).toHaveLength(count);
    const slugs = new Set<string>();
    const skus = new Set<string>();
    for (const p of products) {
      const parsed = ImportProduct.safeParse(p);
      expect(parsed.success, `${p.slug}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
      expect(parsed.data).toEqual(p); // nothing left for defaults to fill in
      slugs.add(p.slug);
      for (const v of p.variants) skus.add(v.sku);
    }
    expect(slugs.size).toBe(count);
    expect(skus.size).toBe(products.reduce((n, p) => n + p.variants.length, 0));
  });

  it("is a category tree 2-3 levels deep, parents first, and products name only its leaves and brands", () => {
    const { categories, brands, products } = catalog(kind, 300);
    const depth = new Map<string, number>();
    for (const c of categories) {
      expect(depth.has(c.slug)).toBe(false);
      if (c.parent !== null) expect(depth.has(c.parent), `${c.parent} before ${c.slug}`).toBe(true);
      depth.set(c.slug, c.parent === null ? 1 : depth.get(c.parent)! + 1);
    }
    expect(Math.max(...depth.values())).toBeGreaterThanOrEqual(2);
    expect(Math.max(...depth.values())).toBeLessThanOrEqual(3);
    const parents = new Set(categories.map((c) => c.parent));
    const brandSlugs = new Set(brands.map((b) => b.slug));
    for (const p of products) {
      for (const c of p.categories) expect(depth.has(c) && !parents.has(c), c).toBe(true);
      expect(brandSlugs.has(p.brand!)).toBe(true);
    }
    // Every leaf is used in a 300-product store, so no storefront category is empty.
    const used = new Set(products.flatMap((p) => p.categories));
    expect(categories.filter((c) => !parents.has(c.slug)).every((c) => used.has(c.slug))).toBe(true);
  });

  it("defines 4-6 attributes and gives each product values of the right type", () => {
    const { attributes, products } = catalog(kind, 10_000);
    expect(attributes.length).toBeGreaterThanOrEqual(4);
    expect(attributes.length).toBeLessThanOrEqual(6);
    for (const a of attributes) expect(CreateAttributeBody.parse(a)).toEqual(a);
    const defs = new Map(attributes.map((a) => [a.code, a]));
    for (const p of products) {
      expect(Object.keys(p.attributes).length).toBeGreaterThan(0);
      for (const [code, value] of Object.entries(p.attributes)) {
        const def = defs.get(code);
        expect(def, `${p.slug}.${code}`).toBeDefined();
        const want = { text: "string", select: "string", number: "number", boolean: "boolean" }[def!.type];
        expect(typeof value, `${p.slug}.${code}`).toBe(want);
        if (def!.type === "select") expect(def!.values).toContain(value);
      }
    }
  });

  it("has realistic variants, prices, stock, statuses, descriptions and pictures", () => {
    const { products } = catalog(kind, 10_000);
    const variants = products.flatMap((p) => p.variants);
    expect(Math.max(...products.map((p) => p.variants.length))).toBeLessThanOrEqual(MAX_VARIANTS);
    expect(variants.some((v) => v.stock === 0)).toBe(true);
    expect(variants.every((v) => v.stock >= 0 && v.stock <= 60)).toBe(true);
    expect(variants.every((v) => v.price > 0 && (v.price % 100 === 0 || v.price % 100 === 99) && v.prices.EUR! > 0)).toBe(true);
    const drafts = products.filter((p) => p.status === "draft").length;
    expect(drafts).toBeGreaterThan(0);
    expect(drafts / products.length).toBeLessThan(0.1);
    for (const p of products) {
      expect(p.currency).toBe("USD");
      expect(p.name.startsWith(SPECS[kind].brands.find((b) => b.slug === p.brand)!.name)).toBe(true);
      const sentences = p.description.split(/(?<=\.)\s+/);
      expect(sentences.length, p.description).toBeGreaterThanOrEqual(2);
      expect(sentences.length, p.description).toBeLessThanOrEqual(4);
      expect(p.description).not.toMatch(/\{\w+\}|undefined|\s{2}/);
      expect(p.images.length).toBeGreaterThanOrEqual(1);
      expect(p.images.length).toBeLessThanOrEqual(3);
      for (const img of p.images) {
        const m = /^\/api\/v1\/media\/demo\/(apparel|electronics)\/([^/]+)$/.exec(img.url);
        expect(m?.[1]).toBe(kind);
        const picture = parseDemoImage(kind, m![2]!);
        expect(picture, img.url).toBeDefined();
        expect(SPECS[kind].types[picture!.type]!.category).toBe(p.categories[0]);
        expect(img.alt.startsWith(p.name)).toBe(true);
      }
    }
  });

  it("gives the same products for the same seed, others for another seed, and a prefix for a smaller count", () => {
    expect(generateCatalog(kind, 200, 7)).toEqual(generateCatalog(kind, 200, 7));
    expect(generateCatalog(kind, 200, 8).products).not.toEqual(generateCatalog(kind, 200, 7).products);
    expect(catalog(kind, 10_000).products.slice(0, 300)).toEqual(catalog(kind, 300).products);
  });

  it("can price in EUR with USD alongside", () => {
    for (const p of generateCatalog(kind, 100, undefined, { currency: "EUR" }).products) {
      expect(ImportProduct.safeParse(p).success).toBe(true);
      expect(p.currency).toBe("EUR");
      for (const v of p.variants) expect(Object.keys(v.prices)).toEqual(["USD"]);
    }
  });

  it("streams 100,000 products with unique slugs without keeping them", () => {
    let count = 0;
    let variants = 0;
    let last = "";
    for (const p of demoProducts(kind, 100_000)) {
      count++;
      variants += p.variants.length;
      last = p.variants[0]!.sku;
    }
    expect(count).toBe(100_000);
    expect(variants).toBeGreaterThan(100_000);
    expect(last).toMatch(/-100000(-|$)/);
  });

  it("hands out copies of its taxonomy", () => {
    const a = demoTaxonomy(kind);
    a.categories.pop();
    a.attributes[0]!.values.push("changed");
    expect(demoTaxonomy(kind).categories.length).toBe(a.categories.length + 1);
    expect(demoTaxonomy(kind).attributes[0]!.values).not.toContain("changed");
  });
});

it("refuses a negative or fractional count", () => {
  expect(() => generateCatalog("apparel", -1)).toThrow(RangeError);
  expect(() => generateCatalog("apparel", 1.5)).toThrow(RangeError);
});

it("draws a picture for every product type", () => {
  for (const kind of DEMO_KINDS) SPECS[kind].types.forEach((_, i) => expect(renderDemoImage(kind, { type: i, hue: 0 }), `${kind} ${i}`).toBeDefined());
});
