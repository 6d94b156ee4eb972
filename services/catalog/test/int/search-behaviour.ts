import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import type { SearchResult, SearchSort } from "@bazaar/contracts";
import type { Tenancy } from "@bazaar/service-kit/tenancy";
import { PRICE_BANDS, type SearchEngine } from "../../src/modules/search/engine.ts";
import { startCatalog, type CatalogHarness, type Store } from "./harness.ts";

/**
 * The search behaviour every engine must show (issue 4 must-holds), run against the Postgres engine
 * here and against Elasticsearch when a server is reachable:
 *  - results, totals and facet counts equal a brute-force computation over the seeded catalog
 *    (property-based: random catalogs, random queries);
 *  - paging visits every match exactly once, also while products are being added;
 *  - stemming, prefix matching, typo correction and the name > brand/category > description order.
 * `settle` waits until writes are searchable (an index fed by events lags behind the database).
 */
export function searchBehaviourSuite(name: string, makeEngine?: (tenancy: Tenancy) => SearchEngine, opts: { settle?: (h: CatalogHarness, store: Store) => Promise<void> } = {}) {
  const settle = opts.settle ?? (async () => undefined);
  const SEED = process.env.SEARCH_SEED ? Number(process.env.SEARCH_SEED) : 20_261_128;

  describe(`search behaviour (${name})`, () => {
    let h: CatalogHarness;
    let stores = 0;
    beforeAll(async () => {
      h = await startCatalog(makeEngine ? { search: makeEngine } : {});
    });
    afterAll(async () => h?.stop());

    const newStore = () => h.provision(`search-${name.toLowerCase().replace(/[^a-z]/g, "")}-${++stores}`);

    it("search results, totals and facet counts equal a brute-force computation (property-based)", async () => {
      console.info(`[search] property seed ${SEED} (override with SEARCH_SEED)`);
      await fc.assert(
        fc.asyncProperty(catalogArb, fc.array(queryArb, { minLength: 20, maxLength: 20 }), async (catalog, queries) => {
          const store = await newStore();
          const seeded = await seedCatalog(h, store, catalog);
          await settle(h, store);
          for (const query of queries) await checkQuery(h, store, seeded, query);
        }),
        { seed: SEED, numRuns: Number(process.env.SEARCH_RUNS ?? 6), endOnFailure: true },
      );
    }, 240_000);

    it("paging visits every match exactly once while products are being added", async () => {
      const store = await newStore();
      const catalog: CatalogSpec = {
        products: Array.from({ length: 45 }, (_, i) => ({
          words: ["travel", i % 2 ? "jacket" : "boot"],
          description: ["light"],
          price: (i * 7919) % 20_000,
          stock: i % 3,
          brand: i % 4,
          categories: [i % 5],
          colour: (["red", "blue", "green"] as const)[i % 3]!,
          waterproof: i % 2 === 0,
          weight: i % 7,
          status: "active",
        })),
      };
      const seeded = await seedCatalog(h, store, catalog);
      await settle(h, store);
      for (const sort of ["newest", "price_asc", "price_desc", "name", "relevance"] as const) {
        const seen = new Map<string, number>();
        let cursor: string | null = null;
        let added = 0;
        do {
          const page: SearchResult = await search(h, store, { q: "travel", sort, limit: 4, ...(cursor ? { cursor } : {}) });
          for (const item of page.items) seen.set(item.id, (seen.get(item.id) ?? 0) + 1);
          cursor = page.nextCursor;
          // Between pages, other merchants' writes land: new matching products at every price.
          await Promise.all(
            [0, 1].map(() =>
              h.call(store, "POST", "/api/v1/admin/products", { name: `Travel mug ${sort} ${added++}`, currency: "USD", price: (added * 3301) % 20_000, stock: 1 }),
            ),
          );
          await settle(h, store);
        } while (cursor);
        for (const p of seeded.products) expect(seen.get(p.id), `${sort}: ${p.slug}`).toBe(1);
        expect([...seen.values()].every((n) => n === 1), `${sort}: an item came twice`).toBe(true);
      }
    }, 120_000);

    it("stems, matches the last word as a prefix, reads typos as catalog words, ranks name over brand/category over description", async () => {
      const store = await newStore();
      const brand = await h.call<{ id: string }>(store, "POST", "/api/v1/admin/brands", { name: "Lantern Works" });
      const category = await h.call<{ id: string }>(store, "POST", "/api/v1/admin/categories", { name: "Lanterns" });
      const make = (name: string, extra: Record<string, unknown> = {}) =>
        h.call<{ id: string }>(store, "POST", "/api/v1/admin/products", { name, currency: "USD", price: 1000, stock: 1, ...extra });
      const inName = await make("Copper Lantern");
      const inBrand = await make("Copper Hook", { brandId: brand.body.id });
      const inCategory = await make("Copper Chain", { categoryIds: [category.body.id] });
      const inDescription = await make("Copper Wick", { description: "Fits every lantern we sell." });
      await make("Rain Jacket");
      await settle(h, store);

      const ids = (r: SearchResult) => r.items.map((i) => i.id);
      const ranked = await search(h, store, { q: "lantern" });
      expect(ids(ranked)[0]).toBe(inName.body.id);
      expect(ids(ranked).slice(1, 3).sort()).toEqual([inBrand.body.id, inCategory.body.id].sort());
      expect(ids(ranked)[3]).toBe(inDescription.body.id);
      expect((await search(h, store, { q: "lanterns" })).total).toBe(4);
      expect((await search(h, store, { q: "jackets" })).total).toBe(1);
      expect((await search(h, store, { q: "jack" })).total).toBe(1);
      expect((await search(h, store, { q: "copper lant" })).total).toBe(4);
      const typo = await search(h, store, { q: "jakcet" });
      expect(typo.total).toBe(1);
      expect(typo.corrections).toEqual([{ from: "jakcet", to: "jacket" }]);
      expect((await search(h, store, { q: "zzzzqqq" })).total).toBe(0);
    });

    it("refuses bad parameters with a problem naming the field", async () => {
      const store = await newStore();
      for (const [query, field] of [
        ["minPrice=-1", "minPrice"],
        ["minPrice=1.5", "minPrice"],
        ["sort=cheapest", "sort"],
        ["limit=0", "limit"],
        ["minPrice=500&maxPrice=100", "minPrice"],
        ["attr.Bad-Code=x", "attr.Bad-Code"],
        ["attr.colour=", "attr.colour"],
        ["cursor=not-a-cursor", "cursor"],
      ] as const) {
        const res = await h.call<{ errors?: { path: string }[] }>(store, "GET", `/api/v1/products?${query}`, undefined, null);
        expect([400, 422], query).toContain(res.status);
        expect(res.headers.get("content-type")).toContain("application/problem+json");
        expect(res.body.errors?.map((e) => e.path), query).toContain(field);
      }
    });
  });
}

// ---------------------------------------------------------------------------------------------
// A small world whose English stemming is unambiguous for both engines: nouns take a plain "s".

const NOUNS = ["jacket", "boot", "shirt", "lamp", "desk", "chair", "mug", "sock", "hat", "glove"] as const;
const ADJECTIVES = ["red", "blue", "green", "wool", "cotton", "light", "classic", "travel", "smart"] as const;
const VOCAB = [...NOUNS, ...ADJECTIVES];
const BRANDS = ["Northpeak", "Voltra", "Kestrel"] as const;
/** [name, parent index] — a two-level tree plus a third level under Outdoor/Hiking. */
const CATEGORIES: [string, number | null][] = [
  ["Outdoor", null],
  ["Hiking", 0],
  ["Trail", 1],
  ["Home", null],
  ["Office", 3],
];

interface ProductSpec {
  words: string[];
  description: string[];
  price: number;
  stock: number;
  brand: number | null;
  categories: number[];
  colour: "red" | "blue" | "green";
  waterproof: boolean;
  weight: number;
  status: "active" | "draft";
}
interface CatalogSpec {
  products: ProductSpec[];
}

const word = fc.constantFrom(...VOCAB);
const productArb: fc.Arbitrary<ProductSpec> = fc.record({
  words: fc.array(fc.oneof(word, fc.constantFrom(...NOUNS).map((n) => `${n}s`)), { minLength: 1, maxLength: 3 }),
  description: fc.array(word, { maxLength: 4 }),
  price: fc.oneof(fc.integer({ min: 0, max: 150_000 }), fc.constantFrom(0, 2_499, 2_500, 5_000, 9_999, 100_000)),
  stock: fc.constantFrom(0, 0, 1, 5),
  brand: fc.option(fc.integer({ min: 0, max: BRANDS.length - 1 }), { nil: null }),
  categories: fc.uniqueArray(fc.integer({ min: 0, max: CATEGORIES.length - 1 }), { maxLength: 2 }),
  colour: fc.constantFrom("red", "blue", "green"),
  waterproof: fc.boolean(),
  weight: fc.integer({ min: 0, max: 3 }),
  status: fc.constantFrom("active", "active", "active", "draft"),
});
const catalogArb: fc.Arbitrary<CatalogSpec> = fc.record({ products: fc.array(productArb, { minLength: 3, maxLength: 30 }) });

interface QuerySpec {
  q?: string;
  category?: number;
  brands?: number[];
  minPrice?: number;
  maxPrice?: number;
  colour?: string[];
  waterproof?: boolean;
  inStock?: boolean;
  sort?: SearchSort;
  limit: number;
}
const prefixArb = fc.constantFrom(...VOCAB.filter((w) => w.length >= 4)).chain((w) => fc.integer({ min: 3, max: w.length }).map((n) => w.slice(0, n)));
const queryArb: fc.Arbitrary<QuerySpec> = fc.record(
  {
    q: fc.oneof(
      word,
      fc.tuple(word, word).map(([a, b]) => `${a} ${b}`),
      fc.tuple(word, prefixArb).map(([a, b]) => `${a} ${b}`),
      prefixArb,
      fc.constantFrom(...NOUNS).map((n) => `${n}s`),
      fc.constantFrom(...BRANDS).map((b) => b.toLowerCase()),
    ),
    category: fc.integer({ min: 0, max: CATEGORIES.length - 1 }),
    brands: fc.uniqueArray(fc.integer({ min: 0, max: BRANDS.length - 1 }), { minLength: 1, maxLength: 2 }),
    minPrice: fc.integer({ min: 0, max: 60_000 }),
    maxPrice: fc.integer({ min: 20_000, max: 160_000 }),
    colour: fc.uniqueArray(fc.constantFrom("red", "blue", "green"), { minLength: 1, maxLength: 2 }),
    waterproof: fc.boolean(),
    inStock: fc.constant(true),
    sort: fc.constantFrom("relevance", "newest", "price_asc", "price_desc", "name"),
    limit: fc.integer({ min: 1, max: 12 }),
  },
  { requiredKeys: ["limit"] },
);

interface SeededProduct {
  id: string;
  slug: string;
  name: string;
  spec: ProductSpec;
}
interface Seeded {
  products: SeededProduct[];
  brandIds: string[];
  categoryIds: string[];
}

async function seedCatalog(h: CatalogHarness, store: Store, catalog: CatalogSpec): Promise<Seeded> {
  const brandIds: string[] = [];
  for (const b of BRANDS) brandIds.push((await h.call<{ id: string }>(store, "POST", "/api/v1/admin/brands", { name: b })).body.id);
  const categoryIds: string[] = [];
  for (const [c, parent] of CATEGORIES) {
    categoryIds.push((await h.call<{ id: string }>(store, "POST", "/api/v1/admin/categories", { name: c, parentId: parent === null ? null : categoryIds[parent] })).body.id);
  }
  for (const body of [
    { code: "colour", name: "Colour", type: "select", values: ["red", "blue", "green"] },
    { code: "waterproof", name: "Waterproof", type: "boolean" },
    { code: "weight", name: "Weight", type: "number" },
    { code: "care", name: "Care", type: "text", filterable: false },
  ]) {
    expect((await h.call(store, "POST", "/api/v1/admin/attributes", body)).status).toBe(201);
  }
  const products: SeededProduct[] = [];
  for (const [i, spec] of catalog.products.entries()) {
    const name = `${spec.words.join(" ")} ${i}`;
    const res = await h.call<{ id: string; slug: string }>(store, "POST", "/api/v1/admin/products", {
      name,
      slug: `p-${i}`,
      description: spec.description.join(" "),
      currency: "USD",
      status: spec.status,
      brandId: spec.brand === null ? null : brandIds[spec.brand],
      categoryIds: spec.categories.map((c) => categoryIds[c]),
      attributes: { colour: spec.colour, waterproof: spec.waterproof, weight: spec.weight, care: "hand wash" },
      options: [{ name: "size", values: ["S", "M"] }],
      variants: [
        { sku: `P${i}-S`, options: { size: "S" }, price: spec.price + 500, stock: 0 },
        { sku: `P${i}-M`, options: { size: "M" }, price: spec.price, stock: spec.stock },
      ],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    products.push({ id: res.body.id, slug: res.body.slug, name, spec });
  }
  return { products, brandIds, categoryIds };
}

function toParams(s: QuerySpec, seeded: Seeded): Record<string, string> {
  const p: Record<string, string> = { limit: String(s.limit) };
  if (s.q) p.q = s.q;
  if (s.category !== undefined) p.category = CATEGORIES[s.category]![0].toLowerCase();
  if (s.brands) p.brand = s.brands.map((b, i) => (i % 2 ? seeded.brandIds[b]! : BRANDS[b]!.toLowerCase())).join(",");
  if (s.minPrice !== undefined) p.minPrice = String(s.minPrice);
  if (s.maxPrice !== undefined) p.maxPrice = String(Math.max(s.maxPrice, s.minPrice ?? 0));
  if (s.colour) p["attr.colour"] = s.colour.join(",");
  if (s.waterproof !== undefined) p["attr.waterproof"] = String(s.waterproof);
  if (s.inStock) p.inStock = "true";
  if (s.sort) p.sort = s.sort;
  return p;
}

async function search(h: CatalogHarness, store: Store, params: Record<string, string | number>): Promise<SearchResult> {
  const qs = new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)] as [string, string]));
  const res = await h.call<SearchResult>(store, "GET", `/api/v1/products?${qs}`, undefined, null);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

const stem = (w: string) => (w.length > 3 && w.endsWith("s") ? w.slice(0, -1) : w);
const wordsOf = (text: string): string[] => text.toLowerCase().match(/[a-z0-9]+/g) ?? [];

/** The brute-force answer: every product checked one by one against the query. */
function expectedMatches(seeded: Seeded, s: QuerySpec, terms: string[]): SeededProduct[] {
  const descendants = (root: number): Set<number> => {
    const out = new Set([root]);
    for (let changed = true; changed; ) {
      changed = false;
      CATEGORIES.forEach(([, parent], i) => {
        if (parent !== null && out.has(parent) && !out.has(i)) {
          out.add(i);
          changed = true;
        }
      });
    }
    return out;
  };
  const maxPrice = s.maxPrice === undefined ? undefined : Math.max(s.maxPrice, s.minPrice ?? 0);
  return seeded.products.filter(({ spec, name }) => {
    if (spec.status !== "active") return false;
    if (terms.length) {
      const doc = [
        ...wordsOf(name),
        ...(spec.brand === null ? [] : wordsOf(BRANDS[spec.brand]!)),
        ...spec.categories.flatMap((c) => wordsOf(CATEGORIES[c]![0])),
        spec.colour,
        "hand",
        "wash",
        ...spec.description,
      ];
      const ok = terms.every((t, i) => doc.some((w) => stem(w) === stem(t) || (i === terms.length - 1 && stem(w).startsWith(t))));
      if (!ok) return false;
    }
    if (s.category !== undefined) {
      const set = descendants(s.category);
      if (!spec.categories.some((c) => set.has(c))) return false;
    }
    if (s.brands && (spec.brand === null || !s.brands.includes(spec.brand))) return false;
    if (s.minPrice !== undefined && spec.price < s.minPrice) return false;
    if (maxPrice !== undefined && spec.price > maxPrice) return false;
    if (s.colour && !s.colour.includes(spec.colour)) return false;
    if (s.waterproof !== undefined && spec.waterproof !== s.waterproof) return false;
    if (s.inStock && spec.stock === 0) return false;
    return true;
  });
}

function expectedFacets(matches: SeededProduct[]) {
  const count = <K>(keys: K[]) => keys.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<K, number>());
  const ancestors = (c: number): number[] => {
    const out = [c];
    for (let p = CATEGORIES[c]![1]; p !== null; p = CATEGORIES[p]![1]) out.push(p);
    return out;
  };
  return {
    brands: Object.fromEntries(count(matches.flatMap((m) => (m.spec.brand === null ? [] : [BRANDS[m.spec.brand]!.toLowerCase()])))),
    categories: Object.fromEntries(count(matches.flatMap((m) => [...new Set(m.spec.categories.flatMap(ancestors))].map((c) => CATEGORIES[c]![0].toLowerCase())))),
    priceBands: Object.fromEntries(
      PRICE_BANDS.map(([lo, hi]) => [`${lo}`, matches.filter((m) => m.spec.price >= lo && (hi === null || m.spec.price < hi)).length] as const).filter(([, n]) => n > 0),
    ),
    attributes: {
      colour: Object.fromEntries(count(matches.map((m) => m.spec.colour))),
      waterproof: Object.fromEntries(count(matches.map((m) => String(m.spec.waterproof)))),
      weight: Object.fromEntries(count(matches.map((m) => String(m.spec.weight)))),
    },
    inStock: matches.filter((m) => m.spec.stock > 0).length,
  };
}

function actualFacets(r: SearchResult) {
  const f = r.facets!;
  const attrs = Object.fromEntries(f.attributes.map((a) => [a.code, Object.fromEntries(a.values.map((v) => [v.value, v.count]))]));
  return {
    brands: Object.fromEntries(f.brands.map((b) => [b.value, b.count])),
    categories: Object.fromEntries(f.categories.map((c) => [c.value, c.count])),
    priceBands: Object.fromEntries(f.priceBands.map((b) => [`${b.min}`, b.count])),
    attributes: { colour: attrs.colour ?? {}, waterproof: attrs.waterproof ?? {}, weight: attrs.weight ?? {} },
    inStock: f.inStock,
    hiddenAttribute: "care" in attrs,
  };
}

async function checkQuery(h: CatalogHarness, store: Store, seeded: Seeded, s: QuerySpec): Promise<void> {
  const params = toParams(s, seeded);
  const label = JSON.stringify(params);
  const first = await search(h, store, params);
  let terms: string[] = wordsOf(s.q ?? "");
  if (first.corrections.length) {
    // Only a query that matched nothing may be corrected; then it must match the corrected words.
    expect(expectedMatches(seeded, s, terms), `${label}: corrected a query that had matches`).toEqual([]);
    terms = terms.map((t) => first.corrections.find((c) => c.from === t)?.to ?? t);
  }
  const matches = expectedMatches(seeded, s, terms);
  expect(first.total, label).toBe(matches.length);
  expect({ ...actualFacets(first), hiddenAttribute: false }, label).toEqual({ ...expectedFacets(matches), hiddenAttribute: false });
  expect(actualFacets(first).hiddenAttribute, `${label}: a non-filterable attribute has a facet`).toBe(false);

  const pages: SearchResult[] = [first];
  while (pages.at(-1)!.nextCursor) pages.push(await search(h, store, { ...params, cursor: pages.at(-1)!.nextCursor!, facets: "false" }));
  const got = pages.flatMap((p) => p.items);
  expect(got.length, `${label}: paging`).toBe(matches.length);
  expect(new Set(got.map((i) => i.id)), label).toEqual(new Set(matches.map((m) => m.id)));
  const sort = s.sort === "relevance" && !terms.length ? "newest" : (s.sort ?? (terms.length ? "relevance" : "newest"));
  const byId = (a: SeededProduct, b: SeededProduct) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const order: Partial<Record<SearchSort, (a: SeededProduct, b: SeededProduct) => number>> = {
    newest: (a, b) => byId(b, a),
    price_asc: (a, b) => a.spec.price - b.spec.price || byId(a, b),
    price_desc: (a, b) => b.spec.price - a.spec.price || byId(b, a),
  };
  if (order[sort]) expect(got.map((i) => i.id), `${label}: order`).toEqual([...matches].sort(order[sort]).map((m) => m.id));
  for (const item of got) {
    const m = matches.find((x) => x.id === item.id)!;
    expect(item.price.amount).toBe(m.spec.price);
    expect(item.inStock).toBe(m.spec.stock > 0);
  }
}
