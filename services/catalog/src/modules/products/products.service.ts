import { and, eq, inArray, sql } from "drizzle-orm";
import {
  CatalogEvents,
  type CreateProductBody,
  type Product,
  type UpdateProductBody,
  type UpdateVariantBody,
  type Variant,
  type VariantBody,
} from "@bazaar/contracts";
import { AppError, type FieldError } from "@bazaar/service-kit/errors";
import { enqueue } from "@bazaar/service-kit/events";
import { createId } from "@bazaar/service-kit/ids";
import type { Tx } from "@bazaar/service-kit/db";
import type { Tenancy } from "@bazaar/service-kit/tenancy";
import { attributes, brands, categories } from "../../db/schema/index.ts";
import {
  addSearchWords,
  attributeDefinitions,
  brandsById,
  categoriesOf,
  findProduct,
  listProducts,
  productCategories,
  products,
  refreshDerived,
  refreshSearch,
  variants,
  variantsOf,
  type AttributeRow,
  type ProductRow,
  type VariantRow,
} from "./products.repo.ts";

export function slugify(name: string): string {
  const s = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 100)
    .replace(/-+$/g, "");
  return s || "product";
}

function toVariant(v: VariantRow, currency: string): Variant {
  return {
    id: v.id,
    sku: v.sku,
    options: v.options,
    price: { amount: v.priceAmount, currency },
    prices: [{ amount: v.priceAmount, currency }, ...Object.entries(v.prices).map(([c, amount]) => ({ amount, currency: c }))],
    stock: v.stock,
    available: v.stock > 0,
  };
}

/** Products with their variants, brand and categories, in the order of `rows`, in four queries. */
export async function hydrate(tx: Tx, rows: ProductRow[]): Promise<Product[]> {
  const ids = rows.map((r) => r.id);
  const [vs, cats, bs] = await Promise.all([
    variantsOf(tx, ids),
    categoriesOf(tx, ids),
    brandsById(tx, [...new Set(rows.map((r) => r.brandId).filter((b): b is string => b !== null))]),
  ]);
  const brandMap = new Map(bs.map((b) => [b.id, b]));
  return rows.map((row) => ({
    id: row.id,
    slug: row.slug,
    name: row.name,
    description: row.description,
    price: { amount: row.priceAmount, currency: row.currency },
    status: row.status,
    brand: row.brandId ? (brandMap.get(row.brandId) ?? null) : null,
    categories: cats.filter((c) => c.productId === row.id).map(({ id, slug, name }) => ({ id, slug, name })),
    attributes: row.attributes,
    images: row.images.map((img, position) => ({ ...img, position })),
    options: row.options,
    variants: vs.filter((v) => v.productId === row.id).map((v) => toVariant(v, row.currency)),
    inStock: row.inStock,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }));
}

/** Check an attribute value against its definition; returns the problem, if any. */
export function attributeProblem(def: AttributeRow | undefined, value: unknown): string | undefined {
  if (!def) return "no such attribute in this store (create it first)";
  switch (def.type) {
    case "number":
      return typeof value === "number" ? undefined : "must be a number";
    case "boolean":
      return typeof value === "boolean" ? undefined : "must be true or false";
    case "text":
      return typeof value === "string" ? undefined : "must be text";
    case "select":
      return typeof value === "string" && def.values.includes(value) ? undefined : `must be one of: ${def.values.join(", ")}`;
  }
}

/** References a product body makes to other catalog rows: brand, categories, typed attributes. */
export async function checkReferences(
  tx: Tx,
  input: { brandId?: string | null; categoryIds?: string[]; attributes?: Record<string, unknown> },
  defs?: AttributeRow[],
): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  if (input.brandId) {
    const [b] = await tx.select({ id: brands.id }).from(brands).where(eq(brands.id, input.brandId)).limit(1);
    if (!b) errors.push({ path: "brandId", message: "unknown brand" });
  }
  if (input.categoryIds?.length) {
    const found = new Set((await tx.select({ id: categories.id }).from(categories).where(inArray(categories.id, input.categoryIds))).map((r) => r.id));
    input.categoryIds.forEach((id, i) => {
      if (!found.has(id)) errors.push({ path: `categoryIds.${i}`, message: "unknown category" });
    });
  }
  if (input.attributes && Object.keys(input.attributes).length) {
    const byCode = new Map((defs ?? (await attributeDefinitions(tx))).map((d) => [d.code, d]));
    for (const [code, value] of Object.entries(input.attributes)) {
      const problem = attributeProblem(byCode.get(code), value);
      if (problem) errors.push({ path: `attributes.${code}`, message: problem });
    }
  }
  return errors;
}

async function assertFree(tx: Tx, opts: { slug?: string; skus?: string[]; productId?: string }): Promise<void> {
  if (opts.slug) {
    const [taken] = await tx.select({ id: products.id }).from(products).where(eq(products.slug, opts.slug)).limit(1);
    if (taken && taken.id !== opts.productId) throw new AppError("conflict", `A product with slug "${opts.slug}" already exists.`, [{ path: "slug", message: "taken" }]);
  }
  if (opts.skus?.length) {
    const taken = await tx.select({ sku: variants.sku, productId: variants.productId }).from(variants).where(inArray(variants.sku, opts.skus));
    const clash = taken.find((t) => t.productId !== opts.productId) ?? (opts.productId ? undefined : taken[0]);
    if (clash) throw new AppError("conflict", `SKU "${clash.sku}" is already used in this store.`, [{ path: "sku", message: `${clash.sku} taken` }]);
  }
}

function variantRows(productId: string, list: VariantBody[], startAt = 0): (typeof variants.$inferInsert)[] {
  return list.map((v, i) => ({
    id: createId("variant"),
    productId,
    sku: v.sku,
    options: v.options,
    priceAmount: v.price,
    prices: v.prices,
    stock: v.stock,
    position: startAt + i,
  }));
}

function searchTexts(p: { name: string }, extra: (string | null | undefined)[] = []): string[] {
  return [p.name, ...extra.filter((t): t is string => Boolean(t))];
}

async function taxonomyNames(tx: Tx, brandId: string | null | undefined, categoryIds: string[]): Promise<string[]> {
  const names: string[] = [];
  if (brandId) names.push(...(await tx.select({ n: brands.name }).from(brands).where(eq(brands.id, brandId))).map((r) => r.n));
  if (categoryIds.length) names.push(...(await tx.select({ n: categories.name }).from(categories).where(inArray(categories.id, categoryIds))).map((r) => r.n));
  return names;
}

export async function createProduct(tx: Tx, tenantId: string, input: CreateProductBody): Promise<Product> {
  const id = createId("product");
  const slug = input.slug ?? slugify(input.name);
  const list: VariantBody[] = input.variants ?? [{ sku: slug.toUpperCase().slice(0, 64), options: {}, price: input.price!, prices: {}, stock: input.stock ?? 0 }];
  const errors = await checkReferences(tx, input);
  if (errors.length) throw new AppError("validation_failed", "The product refers to things this store does not have.", errors);
  await assertFree(tx, { slug, skus: list.map((v) => v.sku) });
  await tx.insert(products).values({
    id,
    slug,
    name: input.name,
    description: input.description,
    priceAmount: Math.min(...list.map((v) => v.price)),
    currency: input.currency,
    status: input.status,
    brandId: input.brandId,
    attributes: input.attributes,
    images: input.images,
    options: input.options,
  });
  await tx.insert(variants).values(variantRows(id, list));
  if (input.categoryIds.length) await tx.insert(productCategories).values([...new Set(input.categoryIds)].map((categoryId) => ({ productId: id, categoryId })));
  await refreshDerived(tx, [id]);
  await refreshSearch(tx, [id]);
  await addSearchWords(tx, searchTexts(input, await taxonomyNames(tx, input.brandId, input.categoryIds)));
  const [row] = await tx.select().from(products).where(eq(products.id, id));
  await enqueue(tx, CatalogEvents.productCreated, {
    tenantId,
    aggregateId: id,
    data: { productId: id, slug, name: input.name, price: row!.priceAmount, currency: input.currency, variants: list.map((v) => ({ sku: v.sku, stock: v.stock })) },
  });
  return (await hydrate(tx, [row!]))[0]!;
}

async function mustFind(tx: Tx, idOrSlug: string): Promise<ProductRow> {
  const row = await findProduct(tx, idOrSlug);
  if (!row) throw new AppError("not_found", "No such product in this store.");
  return row;
}

export async function updateProduct(tx: Tx, tenantId: string, idOrSlug: string, input: UpdateProductBody): Promise<Product> {
  const row = await mustFind(tx, idOrSlug);
  const errors = await checkReferences(tx, input);
  if (input.options) {
    // Existing variants must still fit the new axes.
    const axes = new Map(input.options.map((o) => [o.name, new Set(o.values)]));
    for (const v of await variantsOf(tx, [row.id])) {
      const names = Object.keys(v.options);
      if (names.length !== axes.size || names.some((n) => !axes.get(n)?.has(v.options[n]!))) {
        errors.push({ path: "options", message: `variant ${v.sku} does not fit these options; change or remove it first` });
      }
    }
  }
  if (errors.length) throw new AppError("validation_failed", "The change cannot be applied.", errors);
  if (input.slug) await assertFree(tx, { slug: input.slug, productId: row.id });
  const { categoryIds, ...fields } = input;
  await tx
    .update(products)
    .set({ ...fields, updatedAt: sql`now()` })
    .where(eq(products.id, row.id));
  if (categoryIds) {
    await tx.delete(productCategories).where(eq(productCategories.productId, row.id));
    if (categoryIds.length) await tx.insert(productCategories).values([...new Set(categoryIds)].map((categoryId) => ({ productId: row.id, categoryId })));
  }
  await refreshSearch(tx, [row.id]);
  const [updated] = await tx.select().from(products).where(eq(products.id, row.id));
  await addSearchWords(tx, searchTexts(updated!, await taxonomyNames(tx, updated!.brandId, categoryIds ?? [])));
  await enqueue(tx, CatalogEvents.productUpdated, { tenantId, aggregateId: row.id, data: { productId: row.id, slug: updated!.slug, fields: Object.keys(input) } });
  return (await hydrate(tx, [updated!]))[0]!;
}

/** Delete a product and its variants (orders keep their own copies of lines). */
export async function deleteProduct(tx: Tx, tenantId: string, idOrSlug: string): Promise<void> {
  const row = await mustFind(tx, idOrSlug);
  await tx.delete(products).where(eq(products.id, row.id));
  await enqueue(tx, CatalogEvents.productDeleted, { tenantId, aggregateId: row.id, data: { productId: row.id, slug: row.slug } });
}

type ProductReadRow = {
  id: string;
  slug: string;
  name: string;
  description: string;
  price_amount: string | number;
  currency: string;
  status: Product["status"];
  attributes: Product["attributes"];
  images: { url: string; alt: string }[];
  options: Product["options"];
  in_stock: boolean;
  created_at: Date | string;
  updated_at: Date | string;
  brand: Product["brand"];
  categories: Product["categories"];
  variants: { id: string; sku: string; options: Record<string, string>; price: number; prices: Record<string, number>; stock: number }[];
};

/** A product page in one statement (the storefront's hottest read). */
export async function readProduct(tenancy: Tenancy, tenantId: string, idOrSlug: string, opts: { includeUnpublished: boolean }): Promise<Product> {
  const [row] = await tenancy.read<ProductReadRow>(
    tenantId,
    (t) => sql`
      select p.id, p.slug, p.name, p.description, p.price_amount, p.currency, p.status, p.attributes, p.images, p.options, p.in_stock,
             p.created_at, p.updated_at,
             (select json_build_object('id', b.id, 'slug', b.slug, 'name', b.name) from ${t("brands")} b where b.id = p.brand_id) as brand,
             coalesce((select json_agg(json_build_object('id', c.id, 'slug', c.slug, 'name', c.name) order by c.name)
                         from ${t("product_categories")} pc join ${t("categories")} c on c.id = pc.category_id where pc.product_id = p.id), '[]'::json) as categories,
             coalesce((select json_agg(json_build_object('id', v.id, 'sku', v.sku, 'options', v.options, 'price', v.price_amount, 'prices', v.prices, 'stock', v.stock)
                                       order by v.position, v.id)
                         from ${t("variants")} v where v.product_id = p.id), '[]'::json) as variants
      from ${t("products")} p where p.id = ${idOrSlug} or p.slug = ${idOrSlug} limit 1`,
  );
  if (!row || (!opts.includeUnpublished && row.status !== "active")) throw new AppError("not_found", "No such product in this store.");
  const currency = row.currency;
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    description: row.description,
    price: { amount: Number(row.price_amount), currency },
    status: row.status,
    brand: row.brand,
    categories: row.categories,
    attributes: row.attributes,
    images: row.images.map((img, position) => ({ ...img, position })),
    options: row.options,
    variants: row.variants.map((v) => ({
      id: v.id,
      sku: v.sku,
      options: v.options,
      price: { amount: Number(v.price), currency },
      prices: [{ amount: Number(v.price), currency }, ...Object.entries(v.prices).map(([c, amount]) => ({ amount, currency: c }))],
      stock: v.stock,
      available: v.stock > 0,
    })),
    inStock: row.in_stock,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
  };
}

function checkVariantFits(product: ProductRow, options: Record<string, string>, path: string): FieldError[] {
  const axes = new Map(product.options.map((o) => [o.name, new Set(o.values)]));
  const names = Object.keys(options);
  if (names.length !== axes.size || names.some((n) => !axes.has(n))) {
    return [{ path, message: `must give exactly the options ${[...axes.keys()].join(", ") || "(none)"}` }];
  }
  return Object.entries(options)
    .filter(([n, v]) => !axes.get(n)!.has(v))
    .map(([n, v]) => ({ path: `${path}.${n}`, message: `"${v}" is not a value of ${n}` }));
}

async function assertComboFree(tx: Tx, product: ProductRow, options: Record<string, string>, exceptId?: string): Promise<void> {
  const key = JSON.stringify(product.options.map((o) => options[o.name]));
  for (const v of await variantsOf(tx, [product.id])) {
    if (v.id !== exceptId && JSON.stringify(product.options.map((o) => v.options[o.name])) === key) {
      throw new AppError("conflict", `Variant ${v.sku} already has these options.`, [{ path: "options", message: "duplicate combination" }]);
    }
  }
}

export async function addVariant(tx: Tx, tenantId: string, idOrSlug: string, input: VariantBody): Promise<Product> {
  const product = await mustFind(tx, idOrSlug);
  const errors = checkVariantFits(product, input.options, "options");
  if (errors.length) throw new AppError("validation_failed", "The variant does not fit the product's options.", errors);
  await assertFree(tx, { skus: [input.sku] });
  await assertComboFree(tx, product, input.options);
  const [{ n } = { n: 0 }] = await tx.select({ n: sql<number>`count(*)::int` }).from(variants).where(eq(variants.productId, product.id));
  if (n >= 100) throw new AppError("validation_failed", "A product has at most 100 variants.", [{ path: "sku", message: "too many variants" }]);
  await tx.insert(variants).values(variantRows(product.id, [input], n));
  return afterVariantChange(tx, tenantId, product, input.sku, "created", input.price, input.stock);
}

async function mustFindVariant(tx: Tx, product: ProductRow, sku: string): Promise<VariantRow> {
  const [v] = await tx.select().from(variants).where(and(eq(variants.productId, product.id), eq(variants.sku, sku))).limit(1);
  if (!v) throw new AppError("not_found", `The product has no variant ${sku}.`);
  return v;
}

export async function updateVariant(tx: Tx, tenantId: string, idOrSlug: string, sku: string, input: UpdateVariantBody): Promise<Product> {
  const product = await mustFind(tx, idOrSlug);
  const v = await mustFindVariant(tx, product, sku);
  if (input.options) {
    const errors = checkVariantFits(product, input.options, "options");
    if (errors.length) throw new AppError("validation_failed", "The variant does not fit the product's options.", errors);
    await assertComboFree(tx, product, input.options, v.id);
  }
  await tx
    .update(variants)
    .set({
      ...(input.options ? { options: input.options } : {}),
      ...(input.price !== undefined ? { priceAmount: input.price } : {}),
      ...(input.prices ? { prices: input.prices } : {}),
      ...(input.stock !== undefined ? { stock: input.stock } : {}),
      updatedAt: sql`now()`,
    })
    .where(eq(variants.id, v.id));
  return afterVariantChange(tx, tenantId, product, sku, "updated", input.price ?? v.priceAmount, input.stock ?? v.stock);
}

export async function deleteVariant(tx: Tx, tenantId: string, idOrSlug: string, sku: string): Promise<Product> {
  const product = await mustFind(tx, idOrSlug);
  const v = await mustFindVariant(tx, product, sku);
  const [{ n } = { n: 0 }] = await tx.select({ n: sql<number>`count(*)::int` }).from(variants).where(eq(variants.productId, product.id));
  if (n <= 1) throw new AppError("conflict", "A product keeps at least one variant; delete or archive the product instead.");
  await tx.delete(variants).where(eq(variants.id, v.id));
  return afterVariantChange(tx, tenantId, product, sku, "deleted", null, null);
}

async function afterVariantChange(
  tx: Tx,
  tenantId: string,
  product: ProductRow,
  sku: string,
  change: "created" | "updated" | "deleted",
  price: number | null,
  stock: number | null,
): Promise<Product> {
  await tx.update(products).set({ updatedAt: sql`now()` }).where(eq(products.id, product.id));
  await refreshDerived(tx, [product.id]);
  await enqueue(tx, CatalogEvents.variantChanged, { tenantId, aggregateId: product.id, data: { productId: product.id, sku, change, price, stock } });
  const [row] = await tx.select().from(products).where(eq(products.id, product.id));
  return (await hydrate(tx, [row!]))[0]!;
}

const CURSOR_RE = /^prod_[0-9a-z]{26}$/;

/** The merchant's list: every status, newest first, full products. */
export async function pageProducts(tx: Tx, opts: { limit: number; cursor?: string; includeUnpublished: boolean }) {
  let after: string | undefined;
  if (opts.cursor) {
    after = Buffer.from(opts.cursor, "base64url").toString("utf8");
    if (!CURSOR_RE.test(after)) throw new AppError("bad_request", "The cursor is not valid.");
  }
  const rows = await listProducts(tx, { limit: opts.limit, ...(after ? { after } : {}), ...(opts.includeUnpublished ? {} : { status: "active" as const }) });
  const more = rows.length > opts.limit;
  const items = await hydrate(tx, rows.slice(0, opts.limit));
  const last = items.at(-1);
  return { items, nextCursor: more && last ? Buffer.from(last.id).toString("base64url") : null };
}

export { attributes };
