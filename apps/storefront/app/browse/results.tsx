import { searchQuery, type Brand, type ProductSummary, type SearchParams } from "@bazaar/sdk";
import { ProductCard } from "@bazaar/ui";
import { imageSrc } from "../../lib/images";
import { SortSelect } from "./sort-select";

const SORTS = [
  { value: "relevance", label: "Best match" },
  { value: "newest", label: "Newest" },
  { value: "price_asc", label: "Price: low to high" },
  { value: "price_desc", label: "Price: high to low" },
  { value: "name", label: "Name: A to Z" },
];

/** Sort order: a GET form carrying the other parameters along, a new sort starting at page one. */
export function SortForm({ params }: { params: SearchParams }) {
  const hidden: [string, string][] = [];
  searchQuery({ ...params, sort: undefined, cursor: undefined }).forEach((v, k) => hidden.push([k, v]));
  const current = params.sort ?? (params.q ? "relevance" : "newest");
  const options = SORTS.filter((s) => s.value !== "relevance" || params.q || current === "relevance");
  return (
    <form className="sort" method="get" action="/">
      {hidden.map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      <label htmlFor="sort" className="sort__label">
        Sort by
      </label>
      <SortSelect id="sort" value={current} options={options} />
      <noscript>
        <button type="submit" className="sort__button">
          Apply
        </button>
      </noscript>
    </form>
  );
}

export function ProductGrid({ items, brands, publicUrl }: { items: ProductSummary[]; brands: Brand[]; publicUrl: string }) {
  const brandName = new Map(brands.map((b) => [b.id, b.name]));
  return (
    <ul className="store__grid" aria-label="Products">
      {items.map((p) => (
        <li key={p.id}>
          <ProductCard
            product={p}
            href={`/products/${encodeURIComponent(p.slug)}`}
            imageUrl={p.image ? imageSrc(p.image.url, publicUrl) : null}
            eyebrow={p.brandId ? brandName.get(p.brandId) : null}
          />
        </li>
      ))}
    </ul>
  );
}
