import { and, asc, desc, eq, inArray, lt, or, sql } from "drizzle-orm";
import type { Tx } from "@bazaar/service-kit/db";
import { attributes, brands, categories, productCategories, products, searchWords, variants } from "../../db/schema/index.ts";

export type ProductRow = typeof products.$inferSelect;
export type VariantRow = typeof variants.$inferSelect;
export type AttributeRow = typeof attributes.$inferSelect;

export async function findProduct(tx: Tx, idOrSlug: string): Promise<ProductRow | undefined> {
  const [row] = await tx
    .select()
    .from(products)
    .where(or(eq(products.id, idOrSlug), eq(products.slug, idOrSlug)))
    .limit(1);
  return row;
}

/** Newest first; the cursor is the last id seen (ids are time-sortable). */
export async function listProducts(tx: Tx, opts: { limit: number; after?: string; status?: ProductRow["status"] }): Promise<ProductRow[]> {
  const conds = [opts.status ? eq(products.status, opts.status) : undefined, opts.after ? lt(products.id, opts.after) : undefined].filter((c) => c !== undefined);
  return tx
    .select()
    .from(products)
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(desc(products.id))
    .limit(opts.limit + 1);
}

export async function variantsOf(tx: Tx, productIds: string[]): Promise<VariantRow[]> {
  if (productIds.length === 0) return [];
  return tx.select().from(variants).where(inArray(variants.productId, productIds)).orderBy(asc(variants.productId), asc(variants.position), asc(variants.id));
}

export async function categoriesOf(tx: Tx, productIds: string[]) {
  if (productIds.length === 0) return [];
  return tx
    .select({ productId: productCategories.productId, id: categories.id, slug: categories.slug, name: categories.name })
    .from(productCategories)
    .innerJoin(categories, eq(categories.id, productCategories.categoryId))
    .where(inArray(productCategories.productId, productIds))
    .orderBy(asc(categories.name));
}

export async function brandsById(tx: Tx, ids: string[]) {
  if (ids.length === 0) return [];
  return tx.select({ id: brands.id, slug: brands.slug, name: brands.name }).from(brands).where(inArray(brands.id, ids));
}

export async function attributeDefinitions(tx: Tx): Promise<AttributeRow[]> {
  return tx.select().from(attributes).orderBy(asc(attributes.code));
}

/**
 * Recompute what products keep from their variants: the "from" price (lowest variant price in the
 * product's currency) and whether any variant has stock.
 */
export async function refreshDerived(tx: Tx, productIds: string[]): Promise<void> {
  if (productIds.length === 0) return;
  await tx.execute(sql`
    update products p set
      price_amount = coalesce(v.min_price, 0),
      in_stock = coalesce(v.any_stock, false)
    from (
      select pp.id, min(va.price_amount) as min_price, bool_or(va.stock > 0) as any_stock
      from products pp left join variants va on va.product_id = pp.id
      where pp.id = any(${sql.param(productIds)}::text[])
      group by pp.id
    ) v
    where p.id = v.id`);
}

/**
 * Rebuild the weighted search document: name (A), brand and category names (B), attribute values
 * and description (C), with the English stemmer.
 */
export async function refreshSearch(tx: Tx, productIds: string[]): Promise<void> {
  if (productIds.length === 0) return;
  await tx.execute(sql`
    update products p set search =
      setweight(to_tsvector('english', p.name), 'A') ||
      setweight(to_tsvector('english',
        coalesce((select b.name from brands b where b.id = p.brand_id), '') || ' ' ||
        coalesce((select string_agg(c.name, ' ') from product_categories pc join categories c on c.id = pc.category_id where pc.product_id = p.id), '')), 'B') ||
      setweight(to_tsvector('english',
        coalesce((select string_agg(a.value, ' ') from jsonb_each_text(p.attributes) a where jsonb_typeof(p.attributes -> a.key) = 'string'), '') || ' ' ||
        p.description), 'C')
    where p.id = any(${sql.param(productIds)}::text[])`);
}

/** Products whose search document names this brand or category (to refresh after a rename). */
export async function productIdsForBrand(tx: Tx, brandId: string): Promise<string[]> {
  return (await tx.select({ id: products.id }).from(products).where(eq(products.brandId, brandId))).map((r) => r.id);
}

export async function productIdsForCategory(tx: Tx, categoryId: string): Promise<string[]> {
  return (await tx.select({ id: productCategories.productId }).from(productCategories).where(eq(productCategories.categoryId, categoryId))).map((r) => r.id);
}

const WORD = /[\p{L}\p{N}]{2,40}/gu;

/** Lower-cased words of these texts, for the store's typo-correction vocabulary. */
export function vocabulary(texts: string[]): string[] {
  const words = new Set<string>();
  for (const t of texts) for (const m of t.toLowerCase().matchAll(WORD)) words.add(m[0]);
  return [...words];
}

export async function addSearchWords(tx: Tx, texts: string[]): Promise<void> {
  const words = vocabulary(texts);
  if (words.length === 0) return;
  await tx.execute(sql`insert into search_words (word) select unnest(${sql.param(words)}::text[]) on conflict do nothing`);
}

export { productCategories, products, variants, searchWords };
