// The catalog's public shapes, as the gateway answers them (packages/contracts/src/catalog is the
// source of truth; catalog.test.ts fails the type check when these drift from it).

/** Integer minor units plus ISO 4217 currency. Never a float. */
export interface Money {
  amount: number;
  currency: string;
}

export type ProductStatus = "draft" | "active" | "archived";
export type AttributeValue = string | number | boolean;

export interface ProductImage {
  /** An absolute http(s) URL or a path on the platform (`/api/v1/media/...`), which the gateway serves. */
  url: string;
  alt: string;
}

export interface ProductOption {
  /** The axis' code, e.g. `size`. */
  name: string;
  values: string[];
}

export interface Variant {
  id: string;
  sku: string;
  /** One value per option axis, e.g. `{ size: "M", colour: "Red" }`. */
  options: Record<string, string>;
  /** In the product's currency. */
  price: Money;
  /** The same variant priced in other currencies. */
  prices: Money[];
  stock: number;
  available: boolean;
}

export interface Product {
  id: string;
  slug: string;
  name: string;
  description: string;
  /** The lowest variant price in the product's currency ("from"). */
  price: Money;
  status: ProductStatus;
  brand: { id: string; slug: string; name: string } | null;
  categories: { id: string; slug: string; name: string }[];
  attributes: Record<string, AttributeValue>;
  /** In display order (`position`). */
  images: { url: string; alt: string; position: number }[];
  options: ProductOption[];
  variants: Variant[];
  inStock: boolean;
  createdAt: string;
  updatedAt: string;
}

/** What search and list pages carry per product. */
export interface ProductSummary {
  id: string;
  slug: string;
  name: string;
  price: Money;
  status: ProductStatus;
  brandId: string | null;
  image: ProductImage | null;
  inStock: boolean;
  createdAt: string;
}

export const SEARCH_SORTS = ["relevance", "price_asc", "price_desc", "newest", "name"] as const;
export type SearchSort = (typeof SEARCH_SORTS)[number];

export interface FacetCount {
  /** What to filter by: a slug for categories and brands, the value's text for attributes. */
  value: string;
  label: string;
  count: number;
}

/** Minor units; `min` inclusive, `max` exclusive (`null`: no upper bound). */
export interface PriceBand {
  min: number;
  max: number | null;
  count: number;
}

/** Counts over the products matching the whole request: a count is the total you get by adding that filter. */
export interface SearchFacets {
  categories: FacetCount[];
  brands: FacetCount[];
  priceBands: PriceBand[];
  attributes: { code: string; name: string; values: FacetCount[] }[];
  /** How many of the matches are in stock. */
  inStock: number;
}

export interface SearchResult {
  items: ProductSummary[];
  nextCursor: string | null;
  total: number;
  /** `null` when the request asked for `facets=false`. */
  facets: SearchFacets | null;
  /** Query words that matched nothing and were read as the nearest catalog word (`jakcet` -> `jacket`). */
  corrections: { from: string; to: string }[];
}

export interface Suggestion {
  kind: "product" | "category" | "brand";
  id: string;
  slug: string;
  name: string;
}

export interface CategoryNode {
  id: string;
  slug: string;
  name: string;
  parentId: string | null;
  position: number;
  children: CategoryNode[];
}

export interface Brand {
  id: string;
  slug: string;
  name: string;
}
