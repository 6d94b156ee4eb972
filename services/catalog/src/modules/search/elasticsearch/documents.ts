import { sql, type SQL } from "drizzle-orm";
import type { Tx } from "@bazaar/service-kit/db";
import { vocabulary } from "../../products/products.repo.ts";

/** What the index holds per product (mapping.ts `MAPPINGS`). */
export interface ProductDocument {
  id: string;
  slug: string;
  name: string;
  description: string;
  price_amount: number;
  currency: string;
  status: "draft" | "active" | "archived";
  in_stock: boolean;
  created_at: string;
  image: { url: string; alt: string } | null;
  brand_id: string | null;
  brand_slug: string | null;
  brand_name: string | null;
  /** `JSON.stringify([slug, name])`: the facet value and its label in one term. */
  brand_facet: string | null;
  /** The product's categories and all their ancestors: a category filter is one term query. */
  category_ids: string[];
  category_slugs: string[];
  /** Names of the product's own categories (what Postgres' search document holds). */
  category_names: string[];
  /** `JSON.stringify([slug, name])` for the categories and their ancestors. */
  category_facets: string[];
  /** Every attribute in its text form (`jsonb ->>`): numbers as Postgres prints them, `true`/`false`. */
  attr: Record<string, string>;
  /** String-valued attributes, searched as text (weight C in Postgres). */
  attr_text: string[];
  /** `JSON.stringify([code, name, value])` for filterable attributes. */
  attr_facets: string[];
  /** Lower-cased words of the name, brand and categories: the typo-correction vocabulary. */
  words: string[];
}

/** A read of documents, versioned by the database clock at the time of the read (microseconds). */
export interface DocumentBatch {
  version: number;
  docs: ProductDocument[];
}

export type DocumentSelection = { ids: string[] } | { after: string; limit: number };

interface Row {
  id: string;
  slug: string;
  name: string;
  description: string;
  price_amount: number;
  currency: string;
  status: ProductDocument["status"];
  in_stock: boolean;
  created_at: string;
  image: { url: string; alt?: string } | null;
  brand_id: string | null;
  brand_slug: string | null;
  brand_name: string | null;
  categories: { id: string; slug: string; name: string; direct: boolean }[];
  attrs: { code: string; text: string; type: string; name: string | null; filterable: boolean }[];
}

export function toDocument(r: Row): ProductDocument {
  const direct = r.categories.filter((c) => c.direct);
  return {
    id: r.id,
    slug: r.slug,
    name: r.name,
    description: r.description,
    price_amount: Number(r.price_amount),
    currency: r.currency.trim(),
    status: r.status,
    in_stock: r.in_stock,
    created_at: new Date(r.created_at).toISOString(),
    image: r.image ? { url: r.image.url, alt: r.image.alt ?? "" } : null,
    brand_id: r.brand_id,
    brand_slug: r.brand_slug,
    brand_name: r.brand_name,
    brand_facet: r.brand_slug === null ? null : JSON.stringify([r.brand_slug, r.brand_name]),
    category_ids: r.categories.map((c) => c.id),
    category_slugs: r.categories.map((c) => c.slug),
    category_names: direct.map((c) => c.name),
    category_facets: r.categories.map((c) => JSON.stringify([c.slug, c.name])),
    attr: Object.fromEntries(r.attrs.map((a) => [a.code, a.text])),
    attr_text: r.attrs.filter((a) => a.type === "string").map((a) => a.text),
    attr_facets: r.attrs.filter((a) => a.filterable && a.name !== null).map((a) => JSON.stringify([a.code, a.name, a.text])),
    words: vocabulary([r.name, ...(r.brand_name ? [r.brand_name] : []), ...direct.map((c) => c.name)]),
  };
}

function selected(sel: DocumentSelection): SQL {
  return "ids" in sel
    ? sql`select id from products where id = any(${sql.param(sel.ids)}::text[])`
    : sql`select id from products where id > ${sel.after} order by id limit ${sel.limit}`;
}

/**
 * Documents for the selected products of the tenant whose transaction this is, in one statement.
 * Ids that are not returned no longer exist (the caller deletes them from the index).
 */
export async function loadDocuments(tx: Tx, sel: DocumentSelection): Promise<DocumentBatch> {
  if ("ids" in sel && sel.ids.length === 0) return { version: await readVersion(tx), docs: [] };
  const rows = await tx.execute<{ version: string; docs: Row[] }>(sql`
    with recursive sel as (${selected(sel)}),
    tree(product_id, category_id) as (
      select pc.product_id, pc.category_id from product_categories pc where pc.product_id in (select id from sel)
      union
      select t.product_id, c.parent_id from tree t join categories c on c.id = t.category_id where c.parent_id is not null)
    select (extract(epoch from statement_timestamp()) * 1000000)::bigint::text as version,
      coalesce((select json_agg(d order by d.id) from (
        select p.id, p.slug, p.name, p.description, p.price_amount, p.currency, p.status, p.in_stock, p.created_at,
               p.images -> 0 as image, p.brand_id, b.slug as brand_slug, b.name as brand_name,
               coalesce((select json_agg(json_build_object('id', c.id, 'slug', c.slug, 'name', c.name,
                                  'direct', exists (select 1 from product_categories own where own.product_id = p.id and own.category_id = c.id)) order by c.id)
                         from (select distinct category_id from tree where tree.product_id = p.id) t join categories c on c.id = t.category_id), '[]'::json) as categories,
               coalesce((select json_agg(json_build_object('code', a.key, 'text', a.value, 'type', jsonb_typeof(p.attributes -> a.key),
                                  'name', def.name, 'filterable', coalesce(def.filterable, false)) order by a.key)
                         from jsonb_each_text(p.attributes) a left join attributes def on def.code = a.key), '[]'::json) as attrs
        from products p left join brands b on b.id = p.brand_id
        where p.id in (select id from sel)) d), '[]'::json) as docs`);
  const row = [...rows][0]!;
  return { version: Number(row.version), docs: row.docs.map(toDocument) };
}

/** The database clock in microseconds: the version of a write that reads nothing (a removal). */
export async function readVersion(tx: Tx): Promise<number> {
  const rows = await tx.execute<{ version: string }>(sql`select (extract(epoch from statement_timestamp()) * 1000000)::bigint::text as version`);
  return Number([...rows][0]!.version);
}

/** Products in the category or any of its descendants (after a category moved or was renamed). */
export async function productsInCategoryTree(tx: Tx, categoryId: string): Promise<string[]> {
  const rows = await tx.execute<{ id: string }>(sql`
    with recursive sub as (select id from categories where id = ${categoryId}
      union select c.id from categories c join sub on c.parent_id = sub.id)
    select distinct product_id as id from product_categories where category_id in (select id from sub)`);
  return [...rows].map((r) => r.id);
}

export async function productsOfBrand(tx: Tx, brandId: string): Promise<string[]> {
  const rows = await tx.execute<{ id: string }>(sql`select id from products where brand_id = ${brandId}`);
  return [...rows].map((r) => r.id);
}

export async function productsWithAttribute(tx: Tx, code: string): Promise<string[]> {
  const rows = await tx.execute<{ id: string }>(sql`select id from products where jsonb_exists(attributes, ${code})`);
  return [...rows].map((r) => r.id);
}
