import type { SearchResult, SearchSort } from "@bazaar/contracts";

/** A search after parsing: what both engines (Postgres, Elasticsearch) answer, with the same meaning. */
export interface SearchRequest {
  /** Free text; words are stemmed (English), the last word also matches as a prefix. */
  q?: string;
  /** Category id or slug: products in it or any of its descendants. */
  category?: string;
  /** Brand ids or slugs: products of any of them. */
  brands?: string[];
  /** Minor units, inclusive. */
  minPrice?: number;
  /** Minor units, inclusive. */
  maxPrice?: number;
  /** `{ colour: ["red", "blue"] }`: the attribute's text form equals one of the values; all attributes must match. */
  attributes?: Record<string, string[]>;
  inStock?: boolean;
  /** Default: relevance when `q` is given, newest otherwise. */
  sort?: SearchSort;
  limit: number;
  cursor?: string;
  /** Compute facet counts (default true). */
  facets?: boolean;
  /** Merchant view: drafts and archived products too (default: active only). */
  includeUnpublished?: boolean;
}

/**
 * Facet semantics (both engines): counts are over the products matching the whole request
 * (conjunctive), so a count is exactly the `total` you get by adding that value as a filter:
 * - categories: products in the category or any descendant;
 * - brands: products of the brand;
 * - priceBands: `PRICE_BANDS` in minor units, `min` inclusive, `max` exclusive (null = open);
 * - attributes: per filterable attribute, products whose value's text form is the value
 *   (numbers as Postgres prints them, booleans `true`/`false`);
 * - inStock: products with stock.
 * Values with a count of 0 are left out. Order: count descending, then label.
 */
export const PRICE_BANDS: readonly (readonly [number, number | null])[] = [
  [0, 2_500],
  [2_500, 5_000],
  [5_000, 10_000],
  [10_000, 25_000],
  [25_000, 50_000],
  [50_000, 100_000],
  [100_000, null],
];

export interface SearchEngine {
  readonly name: "postgres" | "elasticsearch";
  search(tenantId: string, req: SearchRequest): Promise<SearchResult>;
}
