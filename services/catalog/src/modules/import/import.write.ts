import { sql } from "drizzle-orm";
import { CatalogEvents } from "@bazaar/contracts";
import type { Tx } from "@bazaar/service-kit/db";
import { AppError } from "@bazaar/service-kit/errors";
import { enqueueMany } from "@bazaar/service-kit/events";
import { createId } from "@bazaar/service-kit/ids";
import { addSearchWords, productCategories, products, refreshDerived, refreshSearch } from "../products/products.repo.ts";
import type { ValidProduct } from "./import.validate.ts";

/** The product fields an import sets; a product it updates gets all of them (and new variants). */
const UPDATED_FIELDS = ["name", "description", "status", "currency", "brand", "categories", "attributes", "images", "options", "variants"];
/**
 * Take the store's import lock for this transaction, if free: two imports at once would fight over
 * the same slugs and SKUs. A busy lock is retried by the caller from a new transaction, so a
 * waiting import holds no pooled connection.
 */
export async function tryLockImports(tx: Tx): Promise<boolean> {
  const rows = await tx.execute<{ ok: boolean }>(sql`select pg_try_advisory_xact_lock(hashtext(current_schema() || ':catalog-import')) as ok`);
  return rows[0]?.ok === true;
}

/**
 * Write one batch of checked products in the caller's transaction with a few multi-row statements:
 * new products are inserted; a product whose slug exists gets the file's fields, its categories
 * replaced, and its variants replaced (a SKU it keeps keeps its variant id). Emits productCreated
 * or productUpdated per product.
 */
export async function writeBatch(tx: Tx, tenantId: string, batch: ValidProduct[]): Promise<{ created: number; updated: number }> {
  const slugs = batch.map((b) => b.product.slug);
  const found = await tx
    .select({ id: products.id, slug: products.slug })
    .from(products)
    .where(sql`${products.slug} = any(${sql.param(slugs)}::text[])`)
    .for("update");
  const idBySlug = new Map(found.map((r) => [r.slug, r.id]));
  const rows = batch.map((b) => ({ b, id: idBySlug.get(b.product.slug) ?? createId("product"), isNew: !idBySlug.has(b.product.slug) }));
  const fromPrice = (b: ValidProduct) => Math.min(...b.product.variants.map((v) => v.price));
  const creates = rows.filter((r) => r.isNew);
  const updates = rows.filter((r) => !r.isNew);
  const ids = rows.map((r) => r.id);
  const updatedIds = updates.map((r) => r.id);

  if (creates.length) {
    const c = creates;
    await tx.execute(sql`
      insert into products (id, slug, name, description, price_amount, currency, status, brand_id, attributes, images, options)
      select * from unnest(
        ${sql.param(c.map((x) => x.id))}::text[],
        ${sql.param(c.map((x) => x.b.product.slug))}::text[],
        ${sql.param(c.map((x) => x.b.product.name))}::text[],
        ${sql.param(c.map((x) => x.b.product.description))}::text[],
        ${sql.param(c.map((x) => fromPrice(x.b)))}::bigint[],
        ${sql.param(c.map((x) => x.b.product.currency))}::text[],
        ${sql.param(c.map((x) => x.b.product.status))}::text[],
        ${sql.param(c.map((x) => x.b.brandId))}::text[],
        ${sql.param(c.map((x) => JSON.stringify(x.b.product.attributes)))}::text[]::jsonb[],
        ${sql.param(c.map((x) => JSON.stringify(x.b.product.images)))}::text[]::jsonb[],
        ${sql.param(c.map((x) => JSON.stringify(x.b.product.options)))}::text[]::jsonb[])`);
  }
  if (updates.length) {
    const data = updates.map(({ b, id }) => ({
      id,
      name: b.product.name,
      description: b.product.description,
      status: b.product.status,
      currency: b.product.currency,
      brand_id: b.brandId,
      attributes: b.product.attributes,
      images: b.product.images,
      options: b.product.options,
    }));
    await tx.execute(sql`
      update products p set
        name = d.name, description = d.description, status = d.status, currency = d.currency, brand_id = d.brand_id,
        attributes = d.attributes, images = d.images, options = d.options, updated_at = now()
      from jsonb_to_recordset(${JSON.stringify(data)}::jsonb)
        as d(id text, name text, description text, status text, currency text, brand_id text, attributes jsonb, images jsonb, options jsonb)
      where p.id = d.id`);
    const skus = updates.flatMap(({ b }) => b.product.variants.map((v) => v.sku));
    await tx.execute(sql`
      delete from variants
      where product_id = any(${sql.param(updatedIds)}::text[]) and not (sku = any(${sql.param(skus)}::text[]))`);
    await tx.delete(productCategories).where(sql`${productCategories.productId} = any(${sql.param(updatedIds)}::text[])`);
  }

  // Variants and category links go in as column arrays (unnest): a fixed handful of parameters
  // however many rows, where a VALUES list would need one per cell.
  const vs = rows.flatMap(({ b, id }) => b.product.variants.map((v, position) => ({ v, id, position })));
  const [upserted] = await tx.execute<{ n: number }>(sql`
    with written as (
      insert into variants (id, product_id, sku, options, price_amount, prices, stock, position)
      select * from unnest(
        ${sql.param(vs.map(() => createId("variant")))}::text[],
        ${sql.param(vs.map((x) => x.id))}::text[],
        ${sql.param(vs.map((x) => x.v.sku))}::text[],
        ${sql.param(vs.map((x) => JSON.stringify(x.v.options)))}::text[]::jsonb[],
        ${sql.param(vs.map((x) => x.v.price))}::bigint[],
        ${sql.param(vs.map((x) => JSON.stringify(x.v.prices)))}::text[]::jsonb[],
        ${sql.param(vs.map((x) => x.v.stock))}::int[],
        ${sql.param(vs.map((x) => x.position))}::int[])
      on conflict (sku) do update set
        options = excluded.options, price_amount = excluded.price_amount, prices = excluded.prices,
        stock = excluded.stock, position = excluded.position, updated_at = now()
        -- A SKU that belongs to another product is not taken over: the row is skipped, and counted.
        where variants.product_id = excluded.product_id
      returning 1)
    select count(*)::int as n from written`);
  if (upserted?.n !== vs.length) {
    throw new AppError("conflict", "Another change took one of the file's SKUs while the import ran; nothing was imported. Import the file again.");
  }
  const links = rows.flatMap(({ b, id }) => b.categoryIds.map((categoryId) => ({ id, categoryId })));
  if (links.length) {
    await tx.execute(sql`
      insert into product_categories (product_id, category_id)
      select * from unnest(${sql.param(links.map((l) => l.id))}::text[], ${sql.param(links.map((l) => l.categoryId))}::text[])`);
  }

  await refreshDerived(tx, ids);
  await refreshSearch(tx, ids);
  await addSearchWords(tx, [...new Set(batch.flatMap((b) => [b.product.name, ...b.taxonomyNames]))]);

  await enqueueMany(
    tx,
    CatalogEvents.productCreated,
    creates.map(({ b, id }) => ({ tenantId, aggregateId: id, data: { productId: id, slug: b.product.slug, name: b.product.name, price: fromPrice(b), currency: b.product.currency, variants: b.product.variants.map((v) => ({ sku: v.sku, stock: v.stock })) } })),
  );
  await enqueueMany(
    tx,
    CatalogEvents.productUpdated,
    updates.map(({ b, id }) => ({ tenantId, aggregateId: id, data: { productId: id, slug: b.product.slug, fields: UPDATED_FIELDS } })),
  );
  return { created: creates.length, updated: updates.length };
}
