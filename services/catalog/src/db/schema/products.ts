import { bigint, boolean, char, customType, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";

/** Postgres `tsvector`; written in SQL (see products.repo.ts `refreshSearch`), never from JS values. */
const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

export type StoredImage = { url: string; alt: string };
export type StoredOption = { name: string; values: string[] };
export type StoredAttributeValue = string | number | boolean;

export const products = pgTable(
  "products",
  {
    id: text("id").primaryKey(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    /** The lowest variant price in `currency` (minor units): what lists show and price filters use. */
    priceAmount: bigint("price_amount", { mode: "number" }).notNull(),
    currency: char("currency", { length: 3 }).notNull(),
    status: text("status", { enum: ["draft", "active", "archived"] }).notNull().default("active"),
    brandId: text("brand_id"),
    attributes: jsonb("attributes").$type<Record<string, StoredAttributeValue>>().notNull().default({}),
    images: jsonb("images").$type<StoredImage[]>().notNull().default([]),
    options: jsonb("options").$type<StoredOption[]>().notNull().default([]),
    /** Any variant has stock (kept by the variant writes). */
    inStock: boolean("in_stock").notNull().default(false),
    /** Weighted document: name (A), brand and categories (B), attributes and description (C). */
    search: tsvector("search"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("products_slug_key").on(t.slug),
    index("products_status_idx").on(t.status, t.id),
    index("products_price_idx").on(t.status, t.priceAmount, t.id),
    index("products_name_idx").on(t.status, t.name, t.id),
    index("products_brand_idx").on(t.brandId),
  ],
);

export const variants = pgTable(
  "variants",
  {
    id: text("id").primaryKey(),
    productId: text("product_id").notNull(),
    sku: text("sku").notNull(),
    options: jsonb("options").$type<Record<string, string>>().notNull().default({}),
    priceAmount: bigint("price_amount", { mode: "number" }).notNull(),
    /** Prices in other currencies: `{ "EUR": 1899 }` (minor units). */
    prices: jsonb("prices").$type<Record<string, number>>().notNull().default({}),
    stock: integer("stock").notNull().default(0),
    position: integer("position").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("variants_sku_key").on(t.sku), index("variants_product_idx").on(t.productId, t.position)],
);

export const productCategories = pgTable(
  "product_categories",
  {
    productId: text("product_id").notNull(),
    categoryId: text("category_id").notNull(),
  },
  (t) => [primaryKey({ columns: [t.productId, t.categoryId] }), index("product_categories_category_idx").on(t.categoryId, t.productId)],
);

/** Typed attribute definitions; products carry their values in `products.attributes`. */
export const attributes = pgTable(
  "attributes",
  {
    id: text("id").primaryKey(),
    code: text("code").notNull(),
    name: text("name").notNull(),
    type: text("type", { enum: ["text", "number", "boolean", "select"] }).notNull(),
    values: jsonb("values").$type<string[]>().notNull().default([]),
    filterable: boolean("filterable").notNull().default(true),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("attributes_code_key").on(t.code)],
);

/** The store's vocabulary (lower-cased words of names, brands, categories) for typo correction. */
export const searchWords = pgTable("search_words", {
  word: text("word").primaryKey(),
});
