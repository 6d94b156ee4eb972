import { cache } from "react";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { BazaarApiError, type AttributeValue, type Product } from "@bazaar/sdk";
import { Notice } from "@bazaar/ui";
import { browseHref, valueLabel } from "../../../lib/browse";
import { loadConfig } from "../../../lib/config";
import { imageSrc } from "../../../lib/images";
import { getStore, getStoreClient } from "../../../lib/store";
import { StoreFrame, StoreUnavailable } from "../../store-frame";
import { Gallery } from "./gallery";
import { VariantPicker } from "./variant-picker";
import "../../product.css";

export const dynamic = "force-dynamic";

type Params = Promise<{ slug: string }>;

/** The product, `null` for one this store does not sell (404), or why it could not be loaded. Cached per request. */
const loadProduct = cache(async (slug: string): Promise<{ product: Product } | { product: null; error: string | null }> => {
  const { api } = await getStoreClient();
  try {
    return { product: await api.product(slug) };
  } catch (err) {
    if (err instanceof BazaarApiError && (err.status === 404 || err.status === 422)) return { product: null, error: null };
    return { product: null, error: err instanceof Error ? err.message : String(err) };
  }
});

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const { product } = await loadProduct((await params).slug);
  if (!product) return {};
  return { title: product.name, description: product.description.slice(0, 160) || undefined };
}

export default async function ProductPage({ params, searchParams }: { params: Params; searchParams: Promise<{ variant?: string | string[] }> }) {
  const store = await getStore();
  if (store.kind !== "ok") return <StoreUnavailable result={store} />;
  const { slug } = await params;
  const loaded = await loadProduct(slug);
  if (!loaded.product && loaded.error === null) notFound();
  if (!loaded.product) {
    return (
      <StoreFrame store={store.store}>
        <main id="content" className="store__main">
          <Notice title="This product is unavailable right now" tone="warning">
            <p>Please try again in a moment.</p>
          </Notice>
        </main>
      </StoreFrame>
    );
  }
  const product = loaded.product;
  const { variant } = await searchParams;
  const { api } = await getStoreClient();
  // Attribute names and which of them filter the catalog, from the store's facets (cached by the gateway).
  const attributeInfo = await api.products({ limit: 1, facets: true }).then(
    (r) => new Map((r.facets?.attributes ?? []).map((a) => [a.code, a.name])),
    () => new Map<string, string>(),
  );
  const publicUrl = loadConfig().publicUrl;
  const images = [...product.images].sort((a, b) => a.position - b.position).map((i) => ({ src: imageSrc(i.url, publicUrl), alt: i.alt || product.name }));
  const category = product.categories[0];
  const attributes = Object.entries(product.attributes);

  return (
    <StoreFrame store={store.store}>
      <main id="content" className="store__main product">
        <nav aria-label="Breadcrumb" className="crumbs">
          <ol>
            <li>
              <a href="/">Home</a>
            </li>
            {category ? (
              <li>
                <a href={browseHref({ category: category.slug })}>{category.name}</a>
              </li>
            ) : null}
            <li aria-current="page">{product.name}</li>
          </ol>
        </nav>

        <div className="product__top">
          <Gallery images={images} name={product.name} />
          <div className="product__info">
            {product.brand ? (
              <a className="product__brand" href={browseHref({ brand: [product.brand.slug] })}>
                {product.brand.name}
              </a>
            ) : null}
            <h1 className="product__name">{product.name}</h1>
            <VariantPicker
              options={product.options}
              variants={product.variants.map(({ id, sku, options, price, stock, available }) => ({ id, sku, options, price, stock, available }))}
              fromPrice={product.price}
              initialSku={typeof variant === "string" ? variant : undefined}
            />
            {product.description ? (
              <section className="product__section" aria-labelledby="about">
                <h2 id="about">About this product</h2>
                {product.description.split(/\n\s*\n/).map((para, i) => (
                  <p key={i}>{para}</p>
                ))}
              </section>
            ) : null}
          </div>
        </div>

        {attributes.length > 0 ? (
          <section className="product__section product__details" aria-labelledby="details">
            <h2 id="details">Details</h2>
            <table className="specs">
              <tbody>
                {attributes.map(([code, value]) => (
                  <tr key={code}>
                    <th scope="row">{attributeInfo.get(code) ?? humanize(code)}</th>
                    <td>{attributeInfo.has(code) && !String(value).includes(",") ? <a href={browseHref({ attributes: { [code]: [String(value)] } })}>{display(value)}</a> : display(value)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ) : null}

        {product.categories.length > 0 ? (
          <section className="product__section" aria-labelledby="categories">
            <h2 id="categories">Find similar</h2>
            <ul className="chips">
              {product.categories.map((c) => (
                <li key={c.id}>
                  <a className="chip" href={browseHref({ category: c.slug })}>
                    {c.name}
                  </a>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
      </main>
    </StoreFrame>
  );
}

const UNITS = new Set(["g", "kg", "mm", "cm", "m", "in", "w", "v", "mah", "wh", "hz", "gb", "tb", "ml", "l", "h"]);

/** An attribute's code as a label when the store's facets don't name it: `weight_g` -> "Weight (g)". */
function humanize(code: string): string {
  const words = code.split("_").filter(Boolean);
  const unit = words.length > 1 && UNITS.has(words.at(-1)!) ? words.pop() : undefined;
  const text = words.join(" ");
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}${unit ? ` (${unit})` : ""}`;
}
const display = (value: AttributeValue) => (typeof value === "boolean" ? valueLabel(String(value)) : String(value));
