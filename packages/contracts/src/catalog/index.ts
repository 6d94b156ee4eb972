import { z } from "zod";
import { CurrencyCode } from "../common/index.ts";
import { defineEvent } from "../events/envelope.ts";

export const ProductSlug = z
  .string()
  .min(1)
  .max(120)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "lowercase words joined by hyphens");

const CATEGORY_ID = /^cat_[0-9a-z]{26}$/;
const BRAND_ID = /^brd_[0-9a-z]{26}$/;

/** Minor units (cents); at most 100 million in major units. Never a float. */
export const MinorUnits = z.number().int().min(0).max(100_000_000_00);

/** A stock-keeping unit: letters, digits and . _ - (case kept; unique per store). */
export const Sku = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "letters, digits, '.', '_' and '-' only");

/** Attribute codes and option axis names as they appear in `attr.<code>` filters. */
export const AttributeCode = z
  .string()
  .min(1)
  .max(40)
  .regex(/^[a-z][a-z0-9_]*$/, "lowercase letters, digits and '_' only, starting with a letter");

export const AttributeType = z.enum(["text", "number", "boolean", "select"]);
export type AttributeType = z.infer<typeof AttributeType>;

export const AttributeValue = z.union([z.string().trim().min(1).max(200), z.number().finite(), z.boolean()]);
export type AttributeValue = z.infer<typeof AttributeValue>;

const OptionValue = z.string().trim().min(1).max(60);

export const ProductImage = z.object({
  /** An absolute http(s) URL or a path on this platform (`/media/...`). */
  url: z
    .string()
    .max(2000)
    .refine((u) => /^https?:\/\/[^\s]+$/.test(u) || /^\/[^\s]*$/.test(u), "an http(s) URL or a path starting with '/'"),
  alt: z.string().max(300).default(""),
});
export type ProductImage = z.infer<typeof ProductImage>;

export const ProductOption = z.object({
  name: AttributeCode,
  values: z.array(OptionValue).min(1).max(50),
});
export type ProductOption = z.infer<typeof ProductOption>;

export const VariantBody = z.object({
  sku: Sku,
  /** One value per option axis of the product, e.g. `{ "size": "M", "colour": "Red" }`. */
  options: z.record(AttributeCode, OptionValue).default({}),
  /** Price in the product's currency (minor units). */
  price: MinorUnits,
  /** Prices in other currencies (minor units), e.g. `{ "EUR": 1899 }`. */
  prices: z.record(CurrencyCode, MinorUnits).default({}),
  /** Units available to sell (the catalog's stock until the inventory service owns it). */
  stock: z.number().int().min(0).max(10_000_000).default(0),
});
export type VariantBody = z.infer<typeof VariantBody>;

export const ProductStatus = z.enum(["draft", "active", "archived"]);

const productFields = {
  name: z.string().trim().min(1).max(200),
  slug: ProductSlug.optional(),
  description: z.string().max(10_000).default(""),
  status: ProductStatus.default("active"),
  brandId: z.string().regex(BRAND_ID, "not a brand id").nullable().default(null),
  categoryIds: z.array(z.string().regex(CATEGORY_ID, "not a category id")).max(20).default([]),
  attributes: z.record(AttributeCode, AttributeValue).default({}),
  images: z.array(ProductImage).max(20).default([]),
  options: z.array(ProductOption).max(3).default([]),
};

/**
 * A product: either one `price` (a single variant whose SKU is the slug, upper-cased) or `variants`
 * (one per combination of the option axes).
 */
export const CreateProductBody = z
  .object({
    ...productFields,
    currency: CurrencyCode,
    /** Shortcut for a product without options: the price of its single variant (minor units). */
    price: MinorUnits.optional(),
    /** Units in stock for the single variant of the `price` shortcut. */
    stock: z.number().int().min(0).max(10_000_000).optional(),
    variants: z.array(VariantBody).min(1).max(100).optional(),
  })
  .superRefine((p, ctx) => {
    if ((p.price === undefined) === (p.variants === undefined)) {
      ctx.addIssue({ code: "custom", path: ["price"], message: "give either price or variants" });
    }
    checkVariants(p.options, p.variants ?? [], ctx);
  });
export type CreateProductBody = z.infer<typeof CreateProductBody>;

/** Every field optional; arrays replace what was there. Variants change through their own routes. */
export const UpdateProductBody = z
  .object({
    name: productFields.name,
    slug: ProductSlug,
    description: z.string().max(10_000),
    status: ProductStatus,
    brandId: productFields.brandId.unwrap().unwrap().nullable(),
    categoryIds: z.array(z.string().regex(CATEGORY_ID, "not a category id")).max(20),
    attributes: z.record(AttributeCode, AttributeValue),
    images: z.array(ProductImage).max(20),
    options: z.array(ProductOption).max(3),
  })
  .partial()
  .refine((p) => Object.keys(p).length > 0, "nothing to change");
export type UpdateProductBody = z.infer<typeof UpdateProductBody>;

export const UpdateVariantBody = VariantBody.omit({ sku: true })
  .extend({ options: z.record(AttributeCode, OptionValue), prices: z.record(CurrencyCode, MinorUnits) })
  .partial()
  .refine((p) => Object.keys(p).length > 0, "nothing to change");
export type UpdateVariantBody = z.infer<typeof UpdateVariantBody>;

/** Variants must use exactly the product's option axes, with allowed values, each combination once. */
export function checkVariants(options: ProductOption[], variants: { sku: string; options: Record<string, string> }[], ctx: z.RefinementCtx): void {
  const axes = new Map(options.map((o) => [o.name, new Set(o.values)]));
  if (axes.size !== options.length) ctx.addIssue({ code: "custom", path: ["options"], message: "option names must be unique" });
  const skus = new Set<string>();
  const combos = new Set<string>();
  variants.forEach((v, i) => {
    const key = v.sku;
    if (skus.has(key)) ctx.addIssue({ code: "custom", path: ["variants", i, "sku"], message: `duplicate SKU ${v.sku}` });
    skus.add(key);
    const names = Object.keys(v.options);
    if (names.length !== axes.size || names.some((n) => !axes.has(n))) {
      ctx.addIssue({ code: "custom", path: ["variants", i, "options"], message: `must give exactly the options ${[...axes.keys()].join(", ") || "(none)"}` });
      return;
    }
    for (const [n, value] of Object.entries(v.options)) {
      if (!axes.get(n)!.has(value)) ctx.addIssue({ code: "custom", path: ["variants", i, "options", n], message: `"${value}" is not a value of ${n}` });
    }
    const combo = JSON.stringify(options.map((o) => v.options[o.name]));
    if (combos.has(combo)) ctx.addIssue({ code: "custom", path: ["variants", i, "options"], message: "another variant has the same options" });
    combos.add(combo);
  });
}

const MoneyOut = z.object({ amount: z.number().int(), currency: CurrencyCode });

export const Variant = z.object({
  id: z.string(),
  sku: z.string(),
  options: z.record(z.string(), z.string()),
  price: MoneyOut,
  prices: z.array(MoneyOut),
  stock: z.number().int(),
  available: z.boolean(),
});
export type Variant = z.infer<typeof Variant>;

export const Product = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  description: z.string(),
  /** The lowest variant price in the product's currency ("from"). */
  price: MoneyOut,
  status: ProductStatus,
  brand: z.object({ id: z.string(), slug: z.string(), name: z.string() }).nullable(),
  categories: z.array(z.object({ id: z.string(), slug: z.string(), name: z.string() })),
  attributes: z.record(z.string(), AttributeValue),
  images: z.array(ProductImage.extend({ position: z.number().int() })),
  options: z.array(ProductOption),
  variants: z.array(Variant),
  inStock: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Product = z.infer<typeof Product>;

/** What search and list pages carry per product. */
export const ProductSummary = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  price: MoneyOut,
  status: ProductStatus,
  brandId: z.string().nullable(),
  image: ProductImage.nullable(),
  inStock: z.boolean(),
  createdAt: z.string(),
});
export type ProductSummary = z.infer<typeof ProductSummary>;

export const SearchSort = z.enum(["relevance", "price_asc", "price_desc", "newest", "name"]);
export type SearchSort = z.infer<typeof SearchSort>;

const Flag = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");

/** `GET /api/v1/products`; `attr.<code>=v1,v2` filters arrive separately (they are open-ended). */
export const SearchQuery = z.object({
  q: z.string().trim().max(200).optional(),
  /** Category id or slug; products in its descendants match too. */
  category: z.string().max(120).optional(),
  /** Brand ids or slugs, comma-separated (any of them). */
  brand: z.string().max(1000).optional(),
  minPrice: z.coerce.number().int().min(0).max(100_000_000_00).optional(),
  /** Inclusive. */
  maxPrice: z.coerce.number().int().min(0).max(100_000_000_00).optional(),
  inStock: Flag.optional(),
  sort: SearchSort.optional(),
  /** Include facet counts (default true; pages after the first may skip them). */
  facets: Flag.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(300).optional(),
});
export type SearchQuery = z.infer<typeof SearchQuery>;

export const FacetCount = z.object({ value: z.string(), label: z.string(), count: z.number().int() });
export const PriceBand = z.object({ min: z.number().int(), max: z.number().int().nullable(), count: z.number().int() });

export const SearchFacets = z.object({
  categories: z.array(FacetCount),
  brands: z.array(FacetCount),
  priceBands: z.array(PriceBand),
  attributes: z.array(z.object({ code: z.string(), name: z.string(), values: z.array(FacetCount) })),
  inStock: z.number().int(),
});
export type SearchFacets = z.infer<typeof SearchFacets>;

export const SearchResult = z.object({
  items: z.array(ProductSummary),
  nextCursor: z.string().nullable(),
  total: z.number().int(),
  facets: SearchFacets.nullable(),
  /** Query words that matched nothing and were read as the nearest word in this store's catalog. */
  corrections: z.array(z.object({ from: z.string(), to: z.string() })),
});
export type SearchResult = z.infer<typeof SearchResult>;

export const Suggestion = z.object({ kind: z.enum(["product", "category", "brand"]), id: z.string(), slug: z.string(), name: z.string() });

export const CreateAttributeBody = z.object({
  code: AttributeCode,
  name: z.string().trim().min(1).max(120),
  type: AttributeType,
  /** Allowed values of a `select` attribute. */
  values: z.array(z.string().trim().min(1).max(200)).max(200).default([]),
  filterable: z.boolean().default(true),
});
export type CreateAttributeBody = z.infer<typeof CreateAttributeBody>;

export const Attribute = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  type: AttributeType,
  values: z.array(z.string()),
  filterable: z.boolean(),
});
export type Attribute = z.infer<typeof Attribute>;

const productEvent = z.object({ productId: z.string(), slug: z.string() });

export const CatalogEvents = {
  productCreated: defineEvent({
    type: "catalog.product.created",
    version: 1,
    topic: "catalog",
    schema: z.object({
      productId: z.string(),
      slug: z.string(),
      name: z.string(),
      price: z.number().int(),
      currency: CurrencyCode,
      /** Each variant's SKU and the stock it was created with: the inventory service seeds its levels from it. */
      variants: z.array(z.object({ sku: z.string(), stock: z.number().int().min(0) })).optional(),
    }),
  }),
  productUpdated: defineEvent({
    type: "catalog.product.updated",
    version: 1,
    topic: "catalog",
    schema: productEvent.extend({ fields: z.array(z.string()) }),
  }),
  productDeleted: defineEvent({ type: "catalog.product.deleted", version: 1, topic: "catalog", schema: productEvent }),
  variantChanged: defineEvent({
    type: "catalog.variant.changed",
    version: 1,
    topic: "catalog",
    schema: z.object({ productId: z.string(), sku: z.string(), change: z.enum(["created", "updated", "deleted"]), price: z.number().int().nullable(), stock: z.number().int().nullable() }),
  }),
  importCompleted: defineEvent({
    type: "catalog.import.completed",
    version: 1,
    topic: "catalog",
    schema: z.object({ importId: z.string(), created: z.number().int(), updated: z.number().int() }),
  }),
};


export const CreateCategoryBody = z.object({
  name: z.string().trim().min(1).max(120),
  slug: ProductSlug.optional(),
  parentId: z.string().regex(CATEGORY_ID, "not a category id").nullable().default(null),
  position: z.number().int().min(0).max(10_000).default(0),
});
export type CreateCategoryBody = z.infer<typeof CreateCategoryBody>;

export interface CategoryNode {
  id: string;
  slug: string;
  name: string;
  parentId: string | null;
  position: number;
  children: CategoryNode[];
}
/**
 * The documented shape: `children` are CategoryNodes again. The schema is not recursive (z.lazy)
 * because OpenAPI generation recurses forever on it; children are described one level deep.
 */
const CategoryFields = {
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  parentId: z.string().nullable(),
  position: z.number().int(),
};
export const CategoryNode: z.ZodType<CategoryNode> = z.object({
  ...CategoryFields,
  children: z.array(z.object({ ...CategoryFields, children: z.array(z.any()).describe("CategoryNode[] (recursive)") })),
}) as z.ZodType<CategoryNode>;

export const CreateBrandBody = z.object({
  name: z.string().trim().min(1).max(120),
  slug: ProductSlug.optional(),
});
export type CreateBrandBody = z.infer<typeof CreateBrandBody>;

export const Brand = z.object({ id: z.string(), slug: z.string(), name: z.string() });
export type Brand = z.infer<typeof Brand>;

export const TaxonomyEvents = {
  categoryCreated: defineEvent({
    type: "catalog.category.created",
    version: 1,
    topic: "catalog",
    schema: z.object({ categoryId: z.string(), slug: z.string(), parentId: z.string().nullable() }),
  }),
  brandCreated: defineEvent({
    type: "catalog.brand.created",
    version: 1,
    topic: "catalog",
    schema: z.object({ brandId: z.string(), slug: z.string() }),
  }),
  categoryChanged: defineEvent({
    type: "catalog.category.changed",
    version: 1,
    topic: "catalog",
    schema: z.object({ categoryId: z.string(), change: z.enum(["updated", "deleted"]) }),
  }),
  brandChanged: defineEvent({
    type: "catalog.brand.changed",
    version: 1,
    topic: "catalog",
    schema: z.object({ brandId: z.string(), change: z.enum(["updated", "deleted"]) }),
  }),
  attributeChanged: defineEvent({
    type: "catalog.attribute.changed",
    version: 1,
    topic: "catalog",
    schema: z.object({ attributeId: z.string(), code: z.string(), change: z.enum(["created", "updated", "deleted"]) }),
  }),
};

export const UpdateCategoryBody = z
  .object({
    name: z.string().trim().min(1).max(120),
    slug: ProductSlug,
    parentId: z.string().regex(CATEGORY_ID, "not a category id").nullable(),
    position: z.number().int().min(0).max(10_000),
  })
  .partial()
  .refine((p) => Object.keys(p).length > 0, "nothing to change");
export type UpdateCategoryBody = z.infer<typeof UpdateCategoryBody>;

export const UpdateBrandBody = z
  .object({ name: z.string().trim().min(1).max(120), slug: ProductSlug })
  .partial()
  .refine((p) => Object.keys(p).length > 0, "nothing to change");
export type UpdateBrandBody = z.infer<typeof UpdateBrandBody>;

/**
 * One product in a bulk import (JSON array items; CSV rows are grouped into these): like
 * CreateProductBody, but the brand and categories are named by slug (or id), since a file cannot
 * know ids. A row whose slug exists in the store updates that product (its variants are replaced).
 */
export const ImportProduct = z
  .object({
    ...productFields,
    slug: ProductSlug,
    currency: CurrencyCode,
    brand: z.string().max(120).nullable().default(null),
    categories: z.array(z.string().max(120)).max(20).default([]),
    variants: z.array(VariantBody).min(1).max(100),
  })
  .omit({ brandId: true, categoryIds: true })
  .superRefine((p, ctx) => checkVariants(p.options, p.variants, ctx));
export type ImportProduct = z.infer<typeof ImportProduct>;

export const UpdateAttributeBody = z
  .object({
    name: z.string().trim().min(1).max(120),
    values: z.array(z.string().trim().min(1).max(200)).max(200),
    filterable: z.boolean(),
  })
  .partial()
  .refine((p) => Object.keys(p).length > 0, "nothing to change");
export type UpdateAttributeBody = z.infer<typeof UpdateAttributeBody>;
