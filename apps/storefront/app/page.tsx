import type { Metadata } from "next";
import { Notice } from "@bazaar/ui";
import type { SearchParams } from "@bazaar/sdk";
import { PAGE_SIZE, browseHref, clearFilters, correctedQuery, hasFilters, hasPrice, priceRangeLabel, readBrowseState, setCategory, setPriceBand, toggleAttribute, toggleBrand, toggleInStock, valueLabel } from "../lib/browse";
import { loadBrowse, type BrowseData } from "../lib/browse-data";
import { loadConfig } from "../lib/config";
import { getStore, getStoreClient } from "../lib/store";
import { Facets, categoryName } from "./browse/facets";
import { ProductGrid, SortForm } from "./browse/results";
import { StoreFrame, StoreUnavailable, type Store } from "./store-frame";
import "./browse.css";

export const dynamic = "force-dynamic";

type Query = Promise<Record<string, string | string[] | undefined>>;

export async function generateMetadata({ searchParams }: { searchParams: Query }): Promise<Metadata> {
  const { params } = readBrowseState(await searchParams);
  return params.q ? { title: `“${params.q}”`, robots: { index: false } } : hasFilters(params) ? { robots: { index: false } } : {};
}

/** The store's home: browse and search, with facets, sort and pages. */
export default async function Home({ searchParams }: { searchParams: Query }) {
  const result = await getStore();
  if (result.kind !== "ok") return <StoreUnavailable result={result} />;
  const { store } = result;
  const { params, page } = readBrowseState(await searchParams);
  const { api } = await getStoreClient();
  const data = await loadBrowse(api, params);
  const landing = !params.q && !hasFilters(params) && !params.cursor;

  return (
    <StoreFrame store={store} query={params.q}>
      {landing ? (
        <section className="store__hero">
          <h1>{store.name}</h1>
          <p>Fresh picks, fair prices, delivered to your door.</p>
        </section>
      ) : null}
      <main id="content" className="store__main">
        {landing ? null : <h1 className="browse__title">{title(params, data)}</h1>}
        {data.kind === "ok" ? (
          <Browse store={store} params={params} page={page} data={data} />
        ) : data.kind === "invalid" ? (
          <Notice title="Those filters don't work together" tone="warning">
            <p>Some of the filters in this link can&rsquo;t be used as they are.</p>
            <p>
              <a href={browseHref(clearFilters(params))}>Clear the filters</a>
            </p>
          </Notice>
        ) : (
          <Notice title="Products are unavailable right now" tone="warning">
            <p>Please try again in a moment.</p>
          </Notice>
        )}
      </main>
    </StoreFrame>
  );
}

function title(params: SearchParams, data: BrowseData): string {
  if (params.q) return `Results for “${data.kind === "ok" ? correctedQuery(params.q, data.result.corrections) : params.q}”`;
  if (data.kind === "ok" && params.category) return categoryName(data.categories, params.category) ?? "Products";
  if (data.kind === "ok" && params.brand?.length === 1) return data.facets.brands.find((b) => b.value === params.brand![0])?.label ?? "Products";
  return "All products";
}

function Browse({ store, params, page, data }: { store: Store; params: SearchParams; page: number; data: Extract<BrowseData, { kind: "ok" }> }) {
  const { result, facets } = data;
  const filtered = hasFilters(params);
  const chips = activeFilters(params, data, store.currency);
  const pages = Math.max(1, Math.ceil(result.total / PAGE_SIZE));
  return (
    <div className="browse">
      <aside className="browse__filters" aria-label="Filters">
        <details className="filters">
          <summary className="filters__toggle">
            Filters{chips.length ? ` (${chips.length})` : ""}
          </summary>
          <Facets params={params} facets={facets} categories={data.categories} currency={store.currency} />
        </details>
      </aside>

      <section className="browse__results" aria-labelledby="results-count">
        <div className="results-bar">
          <h2 id="results-count" className="results-bar__count">
            {result.total === 1 ? "1 product" : `${result.total.toLocaleString("en-US")} products`}
          </h2>
          <SortForm params={params} />
        </div>

        {result.corrections.length > 0 && params.q ? (
          <p className="correction" role="status">
            Showing results for <strong>{correctedQuery(params.q, result.corrections)}</strong>
            <span className="correction__from"> (you searched for &ldquo;{params.q}&rdquo;)</span>
          </p>
        ) : null}

        {chips.length > 0 ? (
          <ul className="chips" aria-label="Filters in use">
            {chips.map((c) => (
              <li key={c.key}>
                <a className="chip" href={c.href} aria-label={`Remove filter ${c.label}`}>
                  {c.label} <span aria-hidden="true">×</span>
                </a>
              </li>
            ))}
            <li>
              <a className="chips__clear" href={browseHref(clearFilters(params))}>
                Clear all
              </a>
            </li>
          </ul>
        ) : null}

        {result.items.length === 0 ? (
          <div className="empty" role="status">
            <h2 className="empty__title">No products match</h2>
            {filtered ? (
              <p>
                Nothing matches all of these filters. <a href={browseHref(clearFilters(params))}>Clear the filters</a>
                {params.q ? " to see every result for your search" : ""}.
              </p>
            ) : params.q ? (
              <p>
                Try other words, or <a href="/">browse all products</a>.
              </p>
            ) : (
              <p>This store hasn&rsquo;t listed anything yet. Check back soon.</p>
            )}
          </div>
        ) : (
          <ProductGrid items={result.items} brands={data.brands} publicUrl={loadConfig().publicUrl} />
        )}

        {params.cursor || result.nextCursor ? (
          <nav className="store__pager" aria-label="Pages">
            {params.cursor ? (
              <a className="pager__first" href={browseHref({ ...params, cursor: undefined })}>
                ← First page
              </a>
            ) : null}
            <span className="pager__status">
              Page {page} of {Math.max(pages, page)}
            </span>
            {result.nextCursor ? (
              <a className="pager__next" rel="next" href={browseHref({ ...params, cursor: result.nextCursor }, page + 1)}>
                More products →
              </a>
            ) : null}
          </nav>
        ) : null}
      </section>
    </div>
  );
}

/** The filters in use, each with a link that removes it. */
function activeFilters(params: SearchParams, data: Extract<BrowseData, { kind: "ok" }>, currency: string): { key: string; label: string; href: string }[] {
  const out: { key: string; label: string; href: string }[] = [];
  if (params.category) out.push({ key: "category", label: categoryName(data.categories, params.category) ?? params.category, href: browseHref(setCategory(params, undefined)) });
  for (const b of params.brand ?? []) {
    out.push({ key: `brand:${b}`, label: data.facets.brands.find((x) => x.value === b)?.label ?? b, href: browseHref(toggleBrand(params, b)) });
  }
  if (hasPrice(params)) {
    const max = params.maxPrice === undefined ? null : params.maxPrice + 1;
    out.push({ key: "price", label: priceRangeLabel(params.minPrice ?? 0, max, currency), href: browseHref(setPriceBand(params, null)) });
  }
  for (const [code, values] of Object.entries(params.attributes ?? {})) {
    const name = data.facets.attributes.find((a) => a.code === code)?.name ?? code;
    for (const v of values) out.push({ key: `attr:${code}:${v}`, label: `${name}: ${valueLabel(v)}`, href: browseHref(toggleAttribute(params, code, v)) });
  }
  if (params.inStock !== undefined) out.push({ key: "inStock", label: params.inStock ? "In stock" : "Out of stock", href: browseHref(withoutStock(params)) });
  return out;
}

const withoutStock = (params: SearchParams) => (params.inStock ? toggleInStock(params) : { ...params, inStock: undefined, cursor: undefined });
