import { parseSearchQuery, searchQuery, type PriceBand, type SearchParams } from "@bazaar/sdk";
import { formatMoney } from "@bazaar/ui";

/** Products per page of the browse page. */
export const PAGE_SIZE = 24;

/**
 * The browse page's state from its URL, which uses the API's own parameter names (`q`, `category`,
 * `brand`, `minPrice`, `maxPrice`, `attr.<code>`, `inStock`, `sort`, `cursor`), plus `page`, the
 * page number shown next to a cursor.
 */
export function readBrowseState(query: Record<string, string | string[] | undefined>): { params: SearchParams; page: number } {
  const { limit: _limit, facets: _facets, ...params } = parseSearchQuery(query);
  const raw = Array.isArray(query.page) ? query.page[0] : query.page;
  const page = params.cursor && raw && /^\d{1,4}$/.test(raw) ? Math.max(2, Number(raw)) : params.cursor ? 2 : 1;
  return { params, page };
}

/** The browse page's URL for these parameters. */
export function browseHref(params: SearchParams, page = 1): string {
  const qs = searchQuery({ ...params, limit: undefined, facets: undefined });
  if (params.cursor && page > 1) qs.set("page", String(page));
  const s = qs.toString();
  return s ? `/?${s}` : "/";
}

/** A filter changed: back to the first page. */
export const withChange = (params: SearchParams, change: Partial<SearchParams>): SearchParams => ({ ...params, ...change, cursor: undefined });

const toggle = (list: readonly string[] | undefined, value: string) => {
  const next = list?.includes(value) ? list.filter((v) => v !== value) : [...(list ?? []), value];
  return next.length ? next : undefined;
};

export const toggleBrand = (params: SearchParams, slug: string) => withChange(params, { brand: toggle(params.brand, slug) });

export function toggleAttribute(params: SearchParams, code: string, value: string): SearchParams {
  const { [code]: current, ...others } = params.attributes ?? {};
  const next = toggle(current, value);
  const attributes = next ? { ...others, [code]: next } : others;
  return withChange(params, { attributes: Object.keys(attributes).length ? attributes : undefined });
}

export const setCategory = (params: SearchParams, slug: string | undefined) => withChange(params, { category: slug });

/** A price band (max exclusive) as the API's inclusive range; `min` 0 is left out. */
export const setPriceBand = (params: SearchParams, band: Pick<PriceBand, "min" | "max"> | null) =>
  withChange(params, { minPrice: band && band.min > 0 ? band.min : undefined, maxPrice: band?.max != null ? band.max - 1 : undefined });

export const isBandSelected = (params: SearchParams, band: Pick<PriceBand, "min" | "max">) =>
  hasPrice(params) && (params.minPrice ?? 0) === band.min && (params.maxPrice ?? null) === (band.max === null ? null : band.max - 1);

export const hasPrice = (params: SearchParams) => params.minPrice !== undefined || params.maxPrice !== undefined;

export const toggleInStock = (params: SearchParams) => withChange(params, { inStock: params.inStock ? undefined : true });

/** Every filter off; the search text and the sort stay. */
export const clearFilters = (params: SearchParams): SearchParams => ({ q: params.q, sort: params.sort });

export const hasFilters = (params: SearchParams) =>
  Boolean(params.category || params.brand?.length || hasPrice(params) || Object.keys(params.attributes ?? {}).length || params.inStock !== undefined);

/** "Under $25", "$25 – $50", "$1,000 and up": a band's `max` is exclusive. */
export function priceRangeLabel(min: number, maxExclusive: number | null, currency: string): string {
  const money = (n: number) => formatMoney(n, currency, "en-US", { trimZeros: true });
  if (maxExclusive === null) return `${money(min)} and up`;
  if (min === 0) return `Under ${money(maxExclusive)}`;
  return `${money(min)} – ${money(maxExclusive)}`;
}

/** The search text as the server read it: each corrected word replaced (`jakcet` -> `jacket`). */
export function correctedQuery(q: string, corrections: readonly { from: string; to: string }[]): string {
  let out = q;
  for (const { from, to } of corrections) {
    const escaped = from.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    out = out.replace(new RegExp(`(^|[^\\p{L}\\p{N}])${escaped}(?=$|[^\\p{L}\\p{N}])`, "giu"), `$1${to}`);
  }
  return out;
}

/** Attribute values as shoppers read them. */
export const valueLabel = (value: string) => (value === "true" ? "Yes" : value === "false" ? "No" : value);
