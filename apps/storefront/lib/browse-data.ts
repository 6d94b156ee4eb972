import { BazaarApiError, type BazaarClient, type Brand, type CategoryNode, type FacetCount, type SearchFacets, type SearchParams, type SearchResult } from "@bazaar/sdk";
import { PAGE_SIZE, hasPrice } from "./browse";

export type BrowseData =
  | { kind: "ok"; result: SearchResult; facets: SearchFacets; categories: CategoryNode[]; brands: Brand[] }
  /** The API refused the filters (e.g. minPrice above maxPrice, a stale cursor). */
  | { kind: "invalid"; detail: string }
  | { kind: "unavailable"; detail: string };

/**
 * One page of results, with facets for the sidebar. The API's counts are over the products
 * matching every filter, so a filtered dimension would only list what is already chosen. For
 * each dimension in use (category, brands, price, each attribute) one more search without that
 * dimension's filter gives its counts ("disjunctive" facets): a shopper who picked one brand
 * still sees the others and how many each would add, and can switch category or price band.
 */
export async function loadBrowse(api: BazaarClient, params: SearchParams): Promise<BrowseData> {
  const facetsWithout = (change: Partial<SearchParams>) =>
    api.products({ ...params, ...change, cursor: undefined, sort: undefined, limit: 1, facets: true }).then(
      (r) => r.facets,
      () => null,
    );
  const attrCodes = Object.keys(params.attributes ?? {});
  const [main, categories, brands, byCategory, byBrand, byPrice, ...byAttribute] = await Promise.all([
    api.products({ ...params, limit: PAGE_SIZE, facets: true }).catch((err: unknown) => err as Error),
    api.categories().then((r) => r.items, () => []),
    api.brands().then((r) => r.items, () => []),
    params.category ? facetsWithout({ category: undefined }) : null,
    params.brand?.length ? facetsWithout({ brand: undefined }) : null,
    hasPrice(params) ? facetsWithout({ minPrice: undefined, maxPrice: undefined }) : null,
    ...attrCodes.map((code) => {
      const { [code]: _dropped, ...others } = params.attributes ?? {};
      return facetsWithout({ attributes: others });
    }),
  ]);
  if (main instanceof Error) {
    const status = main instanceof BazaarApiError ? main.status : 0;
    return status === 400 || status === 422 ? { kind: "invalid", detail: main.message } : { kind: "unavailable", detail: main.message };
  }
  const base: SearchFacets = main.facets ?? { categories: [], brands: [], priceBands: [], attributes: [], inStock: 0 };
  const brandNames = new Map(brands.map((b) => [b.slug, b.name]));
  const attributes = base.attributes.map((a) => {
    const i = attrCodes.indexOf(a.code);
    const wide = i >= 0 ? byAttribute[i]?.attributes.find((x) => x.code === a.code) : undefined;
    return { ...a, values: withSelected(wide?.values ?? a.values, params.attributes?.[a.code]) };
  });
  // An attribute filtered to values nothing has (a hand-edited link) still shows, to be removed.
  for (const [i, code] of attrCodes.entries()) {
    if (attributes.some((a) => a.code === code)) continue;
    const wide = byAttribute[i]?.attributes.find((x) => x.code === code);
    attributes.push({ code, name: wide?.name ?? code, values: withSelected(wide?.values ?? [], params.attributes?.[code]) });
  }
  const facets: SearchFacets = {
    categories: (byCategory ?? base).categories,
    brands: withSelected((byBrand ?? base).brands, params.brand, brandNames),
    priceBands: (byPrice ?? base).priceBands,
    attributes,
    inStock: base.inStock,
  };
  return { kind: "ok", result: main, facets, categories, brands };
}

/** The facet's values plus any selected value it lacks (count 0), so each filter in use can be removed. */
function withSelected(values: FacetCount[], selected: readonly string[] | undefined, labels?: Map<string, string>): FacetCount[] {
  const missing = (selected ?? []).filter((s) => !values.some((v) => v.value === s));
  return [...values, ...missing.map((value) => ({ value, label: labels?.get(value) ?? value, count: 0 }))];
}
