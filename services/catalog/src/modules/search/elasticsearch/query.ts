import type { estypes } from "@elastic/elasticsearch";
import type { SearchFacets, SearchResult, SearchSort } from "@bazaar/contracts";
import { decodeCursor, encodeCursor } from "../cursor.ts";
import { PRICE_BANDS, type SearchRequest } from "../engine.ts";
import { ENGLISH_STOPWORDS } from "./mapping.ts";

type Query = estypes.QueryDslQueryContainer;

/** Where a query word is looked for and what finding it there is worth (Postgres weights A > B > C). */
export const TEXT_FIELDS: readonly (readonly [field: string, boost: number])[] = [
  ["name", 4],
  ["brand_name", 2],
  ["category_names", 2],
  ["attr_text", 1],
  ["description", 1],
];

/** Terms aggregations this large are exact for a one-shard index (search.max_buckets is 65,536). */
export const FACET_SIZE = 10_000;

const SOURCE = ["id", "slug", "name", "price_amount", "currency", "status", "brand_id", "image", "in_stock", "created_at"];
const ATTRIBUTE_CODE = /^[a-z][a-z0-9_]*$/;
const STOP = new Set(ENGLISH_STOPWORDS);

export interface ItemSource {
  id: string;
  slug: string;
  name: string;
  price_amount: number;
  currency: string;
  status: "draft" | "active" | "archived";
  brand_id: string | null;
  image: { url: string; alt: string } | null;
  in_stock: boolean;
  created_at: string;
}

/** The sort a request gets: relevance needs words to rank by (the same rule as the Postgres engine). */
export function effectiveSort(req: SearchRequest, terms: string[]): SearchSort {
  const hasText = terms.length > 0;
  return req.sort === "relevance" && !hasText ? "newest" : (req.sort ?? (hasText ? "relevance" : "newest"));
}

/**
 * One clause per query word: the word (stemmed) must occur in some field; the last word also
 * matches as a prefix. Scores are fixed boosts per field that matched, not BM25, so a product's
 * score does not move when other products are added and `search_after` on the score stays exact
 * between pages (Postgres' ts_rank_cd does not depend on the rest of the catalog either).
 */
export function textClauses(terms: string[]): Query[] {
  return terms.flatMap((term, i) => {
    if (STOP.has(term)) return [];
    const prefix = i === terms.length - 1;
    return [
      {
        bool: {
          should: TEXT_FIELDS.map(([field, boost]) => ({
            constant_score: {
              boost,
              filter: prefix ? { match_bool_prefix: { [field]: { query: term, operator: "and" } } } : { match: { [field]: { query: term, operator: "and" } } },
            },
          })),
          minimum_should_match: 1,
        },
      },
    ];
  });
}

export function filters(req: SearchRequest): Query[] {
  const out: Query[] = [];
  if (!req.includeUnpublished) out.push({ term: { status: "active" } });
  if (req.category) out.push({ bool: { should: [{ term: { category_ids: req.category } }, { term: { category_slugs: req.category } }], minimum_should_match: 1 } });
  if (req.brands?.length) out.push({ bool: { should: [{ terms: { brand_id: req.brands } }, { terms: { brand_slug: req.brands } }], minimum_should_match: 1 } });
  if (req.minPrice !== undefined || req.maxPrice !== undefined) {
    out.push({ range: { price_amount: { ...(req.minPrice !== undefined ? { gte: req.minPrice } : {}), ...(req.maxPrice !== undefined ? { lte: req.maxPrice } : {}) } } });
  }
  if (req.inStock) out.push({ term: { in_stock: true } });
  for (const [code, values] of Object.entries(req.attributes ?? {})) {
    // Codes are validated by the route; anything else cannot name an attribute, so it matches nothing.
    out.push(ATTRIBUTE_CODE.test(code) ? { terms: { [`attr.${code}`]: values } } : { match_none: {} });
  }
  return out;
}

export const FACET_AGGS: Record<string, estypes.AggregationsAggregationContainer> = {
  brands: { terms: { field: "brand_facet", size: FACET_SIZE } },
  categories: { terms: { field: "category_facets", size: FACET_SIZE } },
  attributes: { terms: { field: "attr_facets", size: FACET_SIZE } },
  price_bands: { range: { field: "price_amount", ranges: PRICE_BANDS.map(([from, to]) => (to === null ? { from } : { from, to })) } },
  in_stock: { filter: { term: { in_stock: true } } },
};

function sortFor(sort: SearchSort): estypes.SortCombinations[] {
  switch (sort) {
    case "relevance":
      return [{ _score: { order: "desc" } }, { id: { order: "desc" } }];
    case "newest":
      return [{ id: { order: "desc" } }];
    case "price_asc":
      return [{ price_amount: { order: "asc" } }, { id: { order: "asc" } }];
    case "price_desc":
      return [{ price_amount: { order: "desc" } }, { id: { order: "desc" } }];
    case "name":
      return [{ "name.sort": { order: "asc" } }, { id: { order: "asc" } }];
  }
}

function searchAfter(sort: SearchSort, raw: string | undefined): estypes.FieldValue[] | undefined {
  if (!raw) return undefined;
  const c = decodeCursor(raw, sort);
  return c.key === undefined ? [c.id] : [c.key, c.id];
}

/** The `_search` body for a request; `terms` are the query's words (possibly corrected). */
export function buildSearch(index: string, req: SearchRequest, terms: string[]): estypes.SearchRequest {
  const sort = effectiveSort(req, terms);
  const after = searchAfter(sort, req.cursor);
  const must = textClauses(terms);
  return {
    index,
    size: req.limit + 1,
    track_total_hits: true,
    _source: SOURCE,
    query: { bool: { ...(must.length ? { must } : {}), filter: filters(req) } },
    sort: sortFor(sort),
    ...(after ? { search_after: after } : {}),
    ...((req.facets ?? true) ? { aggs: FACET_AGGS } : {}),
  };
}

type Bucket = { key: string | number; doc_count: number };
type Aggs = Record<string, { buckets?: Bucket[]; doc_count?: number } | undefined>;

const byCount = <T extends { count: number; label: string }>(list: T[]) => list.sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));

function facetsFrom(aggs: Aggs | undefined): SearchFacets {
  const buckets = (name: string) => aggs?.[name]?.buckets ?? [];
  const labelled = (name: string) =>
    byCount(
      buckets(name).map((b) => {
        const [value, label] = JSON.parse(String(b.key)) as [string, string];
        return { value, label, count: b.doc_count };
      }),
    );
  const attrs = new Map<string, { code: string; name: string; values: { value: string; label: string; count: number }[] }>();
  for (const b of buckets("attributes")) {
    const [code, name, value] = JSON.parse(String(b.key)) as [string, string, string];
    const entry = attrs.get(code) ?? { code, name, values: [] };
    entry.values.push({ value, label: value, count: b.doc_count });
    attrs.set(code, entry);
  }
  const bands = buckets("price_bands");
  return {
    brands: labelled("brands"),
    categories: labelled("categories"),
    priceBands: PRICE_BANDS.map(([min, max], i) => ({ min, max, count: bands[i]?.doc_count ?? 0 })).filter((b) => b.count > 0),
    attributes: [...attrs.values()].sort((a, b) => a.code.localeCompare(b.code)).map((a) => ({ ...a, values: byCount(a.values) })),
    inStock: aggs?.in_stock?.doc_count ?? 0,
  };
}

function cursorFrom(sort: SearchSort, hit: estypes.SearchHit<ItemSource>): string {
  const values = hit.sort ?? [];
  const id = String(values.at(-1) ?? hit._id);
  switch (sort) {
    case "newest":
      return encodeCursor({ sort, id });
    case "name":
      return encodeCursor({ sort, key: String(values[0]), id });
    case "relevance":
    case "price_asc":
    case "price_desc":
      return encodeCursor({ sort, key: Number(values[0]), id });
  }
}

/** Map a `_search` response to the engines' common answer. */
export function toResult(res: estypes.SearchResponse<ItemSource>, req: SearchRequest, terms: string[]): SearchResult {
  const hits = res.hits.hits;
  const page = hits.slice(0, req.limit);
  const total = typeof res.hits.total === "number" ? res.hits.total : (res.hits.total?.value ?? 0);
  return {
    items: page.map(({ _source: s }) => ({
      id: s!.id,
      slug: s!.slug,
      name: s!.name,
      price: { amount: Number(s!.price_amount), currency: s!.currency },
      status: s!.status,
      brandId: s!.brand_id,
      image: s!.image,
      inStock: s!.in_stock,
      createdAt: new Date(s!.created_at).toISOString(),
    })),
    nextCursor: hits.length > req.limit && page.length ? cursorFrom(effectiveSort(req, terms), page.at(-1)!) : null,
    total,
    facets: (req.facets ?? true) ? facetsFrom(res.aggregations as Aggs | undefined) : null,
    corrections: [],
  };
}

/** An empty answer (a store whose index does not exist yet). */
export function emptyResult(req: SearchRequest): SearchResult {
  return { items: [], nextCursor: null, total: 0, facets: (req.facets ?? true) ? facetsFrom(undefined) : null, corrections: [] };
}
