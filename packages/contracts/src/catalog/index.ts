import { z } from "zod";
import { CurrencyCode } from "../common/index.ts";
import { defineEvent } from "../events/envelope.ts";

export const ProductSlug = z
  .string()
  .min(1)
  .max(120)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "lowercase words joined by hyphens");

export const CreateProductBody = z.object({
  name: z.string().trim().min(1).max(200),
  slug: ProductSlug.optional(),
  description: z.string().max(10_000).default(""),
  /** Minor units (cents). */
  price: z.number().int().min(0).max(100_000_000_00),
  currency: CurrencyCode,
  status: z.enum(["draft", "active", "archived"]).default("active"),
});
export type CreateProductBody = z.infer<typeof CreateProductBody>;

export const Product = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  description: z.string(),
  price: z.object({ amount: z.number().int(), currency: CurrencyCode }),
  status: z.enum(["draft", "active", "archived"]),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Product = z.infer<typeof Product>;

export const CatalogEvents = {
  productCreated: defineEvent({
    type: "catalog.product.created",
    version: 1,
    topic: "catalog",
    schema: z.object({ productId: z.string(), slug: z.string(), name: z.string(), price: z.number().int(), currency: CurrencyCode }),
  }),
};

const CATEGORY_ID = /^cat_[0-9a-z]{26}$/;

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
export const CategoryNode: z.ZodType<CategoryNode> = z.lazy(() =>
  z.object({
    id: z.string(),
    slug: z.string(),
    name: z.string(),
    parentId: z.string().nullable(),
    position: z.number().int(),
    children: z.array(CategoryNode),
  }),
);

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
};
