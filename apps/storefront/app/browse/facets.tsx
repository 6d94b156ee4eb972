import type { CategoryNode, FacetCount, SearchFacets, SearchParams } from "@bazaar/sdk";
import type { ReactNode } from "react";
import { browseHref, isBandSelected, priceRangeLabel, setCategory, setPriceBand, toggleAttribute, toggleBrand, toggleInStock, valueLabel } from "../../lib/browse";

/**
 * The filter sidebar: plain links that add or remove one filter each (server-rendered, so it works
 * without JavaScript). Categories and price are single choices; brands and each attribute's values
 * combine with "or".
 */
export function Facets({ params, facets, categories, currency }: { params: SearchParams; facets: SearchFacets; categories: CategoryNode[]; currency: string }) {
  const counts = new Map(facets.categories.map((c) => [c.value, c.count]));
  const brands = facets.brands;
  return (
    <div className="facets">
      <FacetGroup title="Category" show={facets.categories.length > 0 || Boolean(params.category)}>
        {params.category ? (
          <li>
            <a className="facet__link facet__link--all" href={browseHref(setCategory(params, undefined))}>
              ← All categories
            </a>
          </li>
        ) : null}
        {categories.length > 0 ? (
          <CategoryTree nodes={categories} counts={counts} path={pathTo(categories, params.category)} params={params} depth={0} />
        ) : (
          facets.categories.map((c) => (
            <FacetItem key={c.value} kind="radio" href={browseHref(setCategory(params, params.category === c.value ? undefined : c.value))} selected={params.category === c.value} label={c.label} count={c.count} />
          ))
        )}
      </FacetGroup>

      <FacetGroup title="Brand" show={brands.length > 0}>
        {brands.map((b) => (
          <FacetItem key={b.value} kind="check" href={browseHref(toggleBrand(params, b.value))} selected={params.brand?.includes(b.value) ?? false} label={b.label} count={b.count} />
        ))}
      </FacetGroup>

      <FacetGroup title="Price" show={facets.priceBands.length > 0}>
        {facets.priceBands.map((band) => {
          const selected = isBandSelected(params, band);
          return (
            <FacetItem
              key={band.min}
              kind="radio"
              href={browseHref(setPriceBand(params, selected ? null : band))}
              selected={selected}
              label={priceRangeLabel(band.min, band.max, currency)}
              count={band.count}
            />
          );
        })}
      </FacetGroup>

      {facets.attributes.map((a) => (
        <FacetGroup key={a.code} title={a.name} show={a.values.length > 0}>
          {a.values.map((v: FacetCount) => (
            <FacetItem
              key={v.value}
              kind="check"
              // Commas separate values in `attr.<code>=`: such a value cannot be a filter.
              href={v.value.includes(",") ? null : browseHref(toggleAttribute(params, a.code, v.value))}
              selected={params.attributes?.[a.code]?.includes(v.value) ?? false}
              label={valueLabel(v.label)}
              count={v.count}
            />
          ))}
        </FacetGroup>
      ))}

      <FacetGroup title="Availability" show={facets.inStock > 0 || params.inStock === true}>
        <FacetItem kind="check" href={browseHref(toggleInStock(params))} selected={params.inStock === true} label="In stock only" count={facets.inStock} />
      </FacetGroup>
    </div>
  );
}

function FacetGroup({ title, show, children }: { title: string; show: boolean; children: ReactNode }) {
  if (!show) return null;
  return (
    <section className="facet">
      <h3 className="facet__title">{title}</h3>
      <ul className="facet__list">{children}</ul>
    </section>
  );
}

function FacetItem(props: Parameters<typeof FacetLink>[0]) {
  return (
    <li>
      <FacetLink {...props} />
    </li>
  );
}

function FacetLink({ href, selected, label, count, kind }: { href: string | null; selected: boolean; label: string; count: number; kind: "check" | "radio" }) {
  const content = (
    <>
      <span className="facet__mark" aria-hidden="true" />
      <span className="facet__label">{label}</span>
      <span className="facet__count">
        {count}
        <span className="sr-only"> products{selected ? ", selected: follow to remove" : ""}</span>
      </span>
    </>
  );
  if (href === null) return <span className={`facet__link facet__link--${kind} facet__link--static`}>{content}</span>;
  return (
    <a className={`facet__link facet__link--${kind}`} href={href} aria-current={selected ? "true" : undefined} rel="nofollow">
      {content}
    </a>
  );
}

/** Roots and their children; deeper levels along the chosen category's path. Empty branches hide. */
function CategoryTree({ nodes, counts, path, params, depth }: { nodes: CategoryNode[]; counts: Map<string, number>; path: string[]; params: SearchParams; depth: number }) {
  const shown = nodes.filter((n) => (counts.get(n.slug) ?? 0) > 0 || path.includes(n.id));
  if (shown.length === 0) return null;
  const items = shown.map((n) => {
    const selected = path.at(-1) === n.id;
    const open = depth < 1 || path.includes(n.id);
    return (
      <li key={n.id}>
        <FacetLink kind="radio" href={browseHref(setCategory(params, selected ? undefined : n.slug))} selected={selected} label={n.name} count={counts.get(n.slug) ?? 0} />
        {open && n.children.length > 0 ? <CategoryTree nodes={n.children} counts={counts} path={path} params={params} depth={depth + 1} /> : null}
      </li>
    );
  });
  return depth === 0 ? <>{items}</> : <ul className="facet__list facet__list--nested">{items}</ul>;
}

/** Ids from a root to the category named by `idOrSlug` (empty when there is none). */
function pathTo(nodes: CategoryNode[], idOrSlug: string | undefined): string[] {
  if (!idOrSlug) return [];
  for (const n of nodes) {
    if (n.id === idOrSlug || n.slug === idOrSlug) return [n.id];
    const below = pathTo(n.children, idOrSlug);
    if (below.length) return [n.id, ...below];
  }
  return [];
}

/** The chosen category's name, for headings. */
export function categoryName(nodes: CategoryNode[], idOrSlug: string): string | null {
  for (const n of nodes) {
    if (n.id === idOrSlug || n.slug === idOrSlug) return n.name;
    const below = categoryName(n.children, idOrSlug);
    if (below) return below;
  }
  return null;
}
