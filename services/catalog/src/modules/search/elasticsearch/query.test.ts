import { describe, expect, it } from "vitest";
import type { estypes } from "@elastic/elasticsearch";
import { SearchResult } from "@bazaar/contracts";
import { decodeCursor, encodeCursor } from "../cursor.ts";
import { buildSearch, FACET_AGGS, textClauses, toResult, type ItemSource } from "./query.ts";
import { ALIAS, pid } from "./testing.ts";

const item = (n: number): ItemSource => ({
  id: pid(n),
  slug: `p-${n}`,
  name: `Product ${n}`,
  price_amount: 100 * n,
  currency: "USD",
  status: "active",
  brand_id: null,
  image: n === 1 ? { url: "/media/a.jpg", alt: "A" } : null,
  in_stock: n % 2 === 0,
  created_at: "2026-01-02T03:04:05.000Z",
});

function response(hits: { n: number; sort: estypes.SortResults }[], total: number, aggregations?: Record<string, unknown>): estypes.SearchResponse<ItemSource> {
  return {
    took: 1,
    timed_out: false,
    _shards: { total: 1, successful: 1, failed: 0 },
    hits: { total: { value: total, relation: "eq" }, hits: hits.map((h) => ({ _index: "i", _id: pid(h.n), _source: item(h.n), sort: h.sort })) },
    ...(aggregations ? { aggregations: aggregations as never } : {}),
  };
}

describe("buildSearch", () => {
  it("filters by status, category (ids or slugs, ancestors indexed), brands, inclusive price, stock and attributes", () => {
    const body = buildSearch(ALIAS, { category: "outdoor", brands: ["voltra", "brd_x"], minPrice: 100, maxPrice: 500, inStock: true, attributes: { colour: ["red", "blue"], waterproof: ["true"] }, limit: 5 }, []);
    expect(body).toMatchObject({ index: ALIAS, size: 6, track_total_hits: true, sort: [{ id: { order: "desc" } }] });
    expect(body.query).toEqual({
      bool: {
        filter: [
          { term: { status: "active" } },
          { bool: { should: [{ term: { category_ids: "outdoor" } }, { term: { category_slugs: "outdoor" } }], minimum_should_match: 1 } },
          { bool: { should: [{ terms: { brand_id: ["voltra", "brd_x"] } }, { terms: { brand_slug: ["voltra", "brd_x"] } }], minimum_should_match: 1 } },
          { range: { price_amount: { gte: 100, lte: 500 } } },
          { term: { in_stock: true } },
          { terms: { "attr.colour": ["red", "blue"] } },
          { terms: { "attr.waterproof": ["true"] } },
        ],
      },
    });
    expect(body.search_after).toBeUndefined();
  });

  it("lets merchants see drafts, and a malformed attribute code match nothing", () => {
    const body = buildSearch(ALIAS, { includeUnpublished: true, attributes: { "a.b": ["x"] }, minPrice: 0, limit: 1 }, []);
    expect(body.query).toEqual({ bool: { filter: [{ range: { price_amount: { gte: 0 } } }, { match_none: {} }] } });
  });

  it("asks for exact facet counts over the whole filtered query, and none when facets are off", () => {
    const body = buildSearch(ALIAS, { limit: 3 }, []);
    expect(body.aggs).toEqual(FACET_AGGS);
    expect(FACET_AGGS.price_bands).toEqual({
      range: {
        field: "price_amount",
        ranges: [{ from: 0, to: 2_500 }, { from: 2_500, to: 5_000 }, { from: 5_000, to: 10_000 }, { from: 10_000, to: 25_000 }, { from: 25_000, to: 50_000 }, { from: 50_000, to: 100_000 }, { from: 100_000 }],
      },
    });
    expect(FACET_AGGS.brands).toEqual({ terms: { field: "brand_facet", size: 10_000 } });
    expect(buildSearch(ALIAS, { limit: 3, facets: false }, []).aggs).toBeUndefined();
  });

  it("requires every word (stemmed) in some field, the last also as a prefix, scored by fixed field boosts", () => {
    const body = buildSearch(ALIAS, { q: "the red jack", limit: 10 }, ["the", "red", "jack"]);
    const must = (body.query as { bool: { must: unknown[] } }).bool.must;
    expect(must).toHaveLength(2); // "the" is a stop word in both engines
    expect(must[0]).toEqual({
      bool: {
        should: [
          { constant_score: { boost: 4, filter: { match: { name: { query: "red", operator: "and" } } } } },
          { constant_score: { boost: 2, filter: { match: { brand_name: { query: "red", operator: "and" } } } } },
          { constant_score: { boost: 2, filter: { match: { category_names: { query: "red", operator: "and" } } } } },
          { constant_score: { boost: 1, filter: { match: { attr_text: { query: "red", operator: "and" } } } } },
          { constant_score: { boost: 1, filter: { match: { description: { query: "red", operator: "and" } } } } },
        ],
        minimum_should_match: 1,
      },
    });
    expect(JSON.stringify(must[1])).toContain('"match_bool_prefix":{"name":{"query":"jack","operator":"and"}}');
    expect(body.sort).toEqual([{ _score: { order: "desc" } }, { id: { order: "desc" } }]);
  });

  it("matches everything for a query of stop words, ranked like Postgres (all equal, newest first)", () => {
    expect(textClauses(["the", "a"])).toEqual([]);
    const body = buildSearch(ALIAS, { q: "the", limit: 2, includeUnpublished: true }, ["the"]);
    expect(body.query).toEqual({ bool: { filter: [] } });
  });

  it.each([
    ["relevance", 6.5, [{ _score: { order: "desc" } }, { id: { order: "desc" } }], [6.5, pid(7)]],
    ["newest", undefined, [{ id: { order: "desc" } }], [pid(7)]],
    ["price_asc", 1200, [{ price_amount: { order: "asc" } }, { id: { order: "asc" } }], [1200, pid(7)]],
    ["price_desc", 1200, [{ price_amount: { order: "desc" } }, { id: { order: "desc" } }], [1200, pid(7)]],
    ["name", "copper lantern", [{ "name.sort": { order: "asc" } }, { id: { order: "asc" } }], ["copper lantern", pid(7)]],
  ] as const)("sorts by %s with an id tiebreak and continues after the cursor", (sort, key, expectedSort, after) => {
    const cursor = encodeCursor({ sort, ...(key === undefined ? {} : { key }), id: pid(7) });
    const body = buildSearch(ALIAS, { q: "lamp", sort, limit: 4, cursor }, ["lamp"]);
    expect(body.sort).toEqual(expectedSort);
    expect(body.search_after).toEqual(after);
  });

  it("refuses a cursor made for another sort (400, like the Postgres engine)", () => {
    const cursor = encodeCursor({ sort: "newest", id: pid(7) });
    expect(() => buildSearch(ALIAS, { sort: "price_asc", limit: 4, cursor }, [])).toThrow(/cursor/);
  });
});

describe("toResult", () => {
  it("maps hits to summaries and the last item's sort values to an opaque cursor that round-trips", () => {
    const req = { q: "lamp", sort: "price_asc" as const, limit: 2, facets: false };
    const res = toResult(response([{ n: 1, sort: [100, pid(1)] }, { n: 2, sort: [200, pid(2)] }, { n: 3, sort: [300, pid(3)] }], 9), req, ["lamp"]);
    expect(SearchResult.parse(res)).toEqual(res);
    expect(res.items.map((i) => i.id)).toEqual([pid(1), pid(2)]);
    expect(res.items[0]).toEqual({ id: pid(1), slug: "p-1", name: "Product 1", price: { amount: 100, currency: "USD" }, status: "active", brandId: null, image: { url: "/media/a.jpg", alt: "A" }, inStock: false, createdAt: "2026-01-02T03:04:05.000Z" });
    expect(res.total).toBe(9);
    expect(res.facets).toBeNull();
    expect(decodeCursor(res.nextCursor!, "price_asc")).toEqual({ sort: "price_asc", key: 200, id: pid(2) });
    expect(buildSearch(ALIAS, { ...req, cursor: res.nextCursor! }, ["lamp"]).search_after).toEqual([200, pid(2)]);
  });

  it("has no next cursor on the last page; a relevance cursor carries the score", () => {
    const last = toResult(response([{ n: 1, sort: [4, pid(1)] }], 1), { q: "lamp", limit: 2, facets: false }, ["lamp"]);
    expect(last.nextCursor).toBeNull();
    const more = toResult(response([{ n: 5, sort: [6, pid(5)] }, { n: 4, sort: [4, pid(4)] }], 2), { q: "lamp", limit: 1, facets: false }, ["lamp"]);
    expect(decodeCursor(more.nextCursor!, "relevance")).toEqual({ sort: "relevance", key: 6, id: pid(5) });
  });

  it("turns aggregations into facets: labels from the facet terms, zero bands left out, count then label order", () => {
    const key = (...parts: string[]) => JSON.stringify(parts);
    const aggregations = {
      brands: { buckets: [{ key: key("voltra", "Voltra"), doc_count: 2 }, { key: key("kestrel", "Kestrel"), doc_count: 2 }, { key: key("northpeak", "Northpeak"), doc_count: 5 }] },
      categories: { buckets: [{ key: key("outdoor", "Outdoor"), doc_count: 3 }, { key: key("hiking", "Hiking"), doc_count: 3 }] },
      attributes: {
        buckets: [
          { key: key("weight", "Weight", "1.50"), doc_count: 1 },
          { key: key("colour", "Colour", "red"), doc_count: 1 },
          { key: key("colour", "Colour", "blue"), doc_count: 4 },
          { key: key("waterproof", "Waterproof", "true"), doc_count: 2 },
        ],
      },
      price_bands: { buckets: [{ key: "0.0-2500.0", from: 0, to: 2500, doc_count: 3 }, { key: "2500.0-5000.0", doc_count: 0 }, ...Array.from({ length: 4 }, () => ({ key: "x", doc_count: 0 })), { key: "100000.0-*", from: 100000, doc_count: 1 }] },
      in_stock: { doc_count: 4 },
    };
    const res = toResult(response([], 9, aggregations), { limit: 5 }, []);
    expect(res.facets).toEqual({
      brands: [
        { value: "northpeak", label: "Northpeak", count: 5 },
        { value: "kestrel", label: "Kestrel", count: 2 },
        { value: "voltra", label: "Voltra", count: 2 },
      ],
      categories: [
        { value: "hiking", label: "Hiking", count: 3 },
        { value: "outdoor", label: "Outdoor", count: 3 },
      ],
      priceBands: [
        { min: 0, max: 2_500, count: 3 },
        { min: 100_000, max: null, count: 1 },
      ],
      attributes: [
        { code: "colour", name: "Colour", values: [{ value: "blue", label: "blue", count: 4 }, { value: "red", label: "red", count: 1 }] },
        { code: "waterproof", name: "Waterproof", values: [{ value: "true", label: "true", count: 2 }] },
        { code: "weight", name: "Weight", values: [{ value: "1.50", label: "1.50", count: 1 }] },
      ],
      inStock: 4,
    });
    expect(SearchResult.parse(res)).toEqual(res);
  });
});
