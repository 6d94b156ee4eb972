import { SEARCH_SORTS, type SearchSort } from "./catalog.ts";

/** `GET /api/v1/products`: search text, filters, sort and page. Prices are integer minor units. */
export interface SearchParams {
  q?: string;
  /** Category slug or id; products of its subcategories match too. */
  category?: string;
  /** Brand slugs or ids: products of any of them. */
  brand?: string[];
  /** Minor units, inclusive. */
  minPrice?: number;
  /** Minor units, inclusive. */
  maxPrice?: number;
  /** `{ colour: ["red", "blue"] }` -> `attr.colour=red,blue`: any of the values, every attribute must match. */
  attributes?: Record<string, string[]>;
  inStock?: boolean;
  /** Default: `relevance` with `q`, `newest` without. */
  sort?: SearchSort;
  limit?: number;
  cursor?: string | null;
  /** Facet counts (default true); pages after the first may skip them. */
  facets?: boolean;
}

const ATTRIBUTE_CODE = /^[a-z][a-z0-9_]{0,39}$/;
const MAX_MINOR = 100_000_000_00;

/**
 * The query string of a search, in a fixed order (so equal searches are equal URLs, which caches
 * like). Empty values are left out. Throws a RangeError for what the API could not read back: a
 * non-integer price, a bad attribute code, or a value with a comma (commas separate values).
 *
 * @example
 * searchQuery({ q: "jacket", brand: ["acme"], attributes: { size: ["M", "L"] } }).toString()
 * // "q=jacket&brand=acme&attr.size=M%2CL"
 */
export function searchQuery(params: SearchParams): URLSearchParams {
  const out = new URLSearchParams();
  const q = params.q?.trim();
  if (q) out.set("q", q);
  if (params.category) out.set("category", params.category);
  const brands = list(params.brand, "brand");
  if (brands) out.set("brand", brands);
  for (const key of ["minPrice", "maxPrice"] as const) {
    const v = params[key];
    if (v === undefined) continue;
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`${key} must be integer minor units, got ${v}`);
    out.set(key, String(v));
  }
  for (const code of Object.keys(params.attributes ?? {}).sort()) {
    if (!ATTRIBUTE_CODE.test(code)) throw new RangeError(`not an attribute code: ${JSON.stringify(code)}`);
    const values = list(params.attributes?.[code], `attr.${code}`);
    if (values) out.set(`attr.${code}`, values);
  }
  if (params.inStock !== undefined) out.set("inStock", String(params.inStock));
  if (params.sort) out.set("sort", params.sort);
  if (params.limit !== undefined) out.set("limit", String(params.limit));
  if (params.cursor) out.set("cursor", params.cursor);
  if (params.facets !== undefined) out.set("facets", String(params.facets));
  return out;
}

function list(values: readonly string[] | undefined, key: string): string | null {
  const clean = [...new Set((values ?? []).map((v) => v.trim()).filter(Boolean))];
  for (const v of clean) if (v.includes(",")) throw new RangeError(`${key} values cannot contain a comma: ${JSON.stringify(v)}`);
  return clean.length ? clean.join(",") : null;
}

/** Query input as URLSearchParams, a query string, or Next.js' `searchParams` object. */
export type QueryInput = URLSearchParams | string | Record<string, string | string[] | undefined>;

/**
 * The inverse of `searchQuery`, lenient: a link someone edited by hand loses what is invalid
 * instead of failing (unknown sort, negative or fractional price, bad attribute code...).
 * Repeated keys add up (`brand=a&brand=b` is `brand=a,b`).
 */
export function parseSearchQuery(input: QueryInput): SearchParams {
  const params = toSearchParams(input);
  const out: SearchParams = {};
  const q = params.get("q")?.trim().slice(0, 200);
  if (q) out.q = q;
  const category = params.get("category")?.trim();
  if (category && category.length <= 120) out.category = category;
  const brands = splitAll(params.getAll("brand"));
  if (brands.length) out.brand = brands;
  for (const key of ["minPrice", "maxPrice"] as const) {
    const raw = params.get(key)?.trim();
    if (raw && /^\d{1,11}$/.test(raw) && Number(raw) <= MAX_MINOR) out[key] = Number(raw);
  }
  const attributes: Record<string, string[]> = {};
  const keys = new Set<string>();
  params.forEach((_, key) => keys.add(key));
  for (const key of keys) {
    if (!key.startsWith("attr.")) continue;
    const code = key.slice(5);
    const values = splitAll(params.getAll(key));
    if (ATTRIBUTE_CODE.test(code) && values.length) attributes[code] = values;
  }
  if (Object.keys(attributes).length) out.attributes = attributes;
  const inStock = flag(params.get("inStock"));
  if (inStock !== undefined) out.inStock = inStock;
  const sort = params.get("sort");
  if (sort && (SEARCH_SORTS as readonly string[]).includes(sort)) out.sort = sort as SearchSort;
  const limit = params.get("limit");
  if (limit && /^\d{1,3}$/.test(limit) && Number(limit) >= 1 && Number(limit) <= 100) out.limit = Number(limit);
  const cursor = params.get("cursor");
  if (cursor && cursor.length <= 300) out.cursor = cursor;
  const facets = flag(params.get("facets"));
  if (facets !== undefined) out.facets = facets;
  return out;
}

function toSearchParams(input: QueryInput): URLSearchParams {
  if (input instanceof URLSearchParams) return input;
  if (typeof input === "string") return new URLSearchParams(input);
  const out = new URLSearchParams();
  for (const [k, v] of Object.entries(input)) for (const one of Array.isArray(v) ? v : v === undefined ? [] : [v]) out.append(k, one);
  return out;
}

const splitAll = (raw: string[]) => [...new Set(raw.flatMap((r) => r.split(",")).map((v) => v.trim()).filter((v) => v && v.length <= 200))];

const flag = (raw: string | null) => (raw === "true" || raw === "1" ? true : raw === "false" || raw === "0" ? false : undefined);
