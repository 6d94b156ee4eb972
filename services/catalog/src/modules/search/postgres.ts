import { sql, type SQL } from "drizzle-orm";
import type { SearchFacets, SearchResult, SearchSort } from "@bazaar/contracts";
import type { Tx } from "@bazaar/service-kit/db";
import type { Tenancy } from "@bazaar/service-kit/tenancy";
import { decodeCursor, encodeCursor } from "./cursor.ts";
import { PRICE_BANDS, type SearchEngine, type SearchRequest } from "./engine.ts";
import { bestCorrection, queryTerms, tsQuerySource } from "./text.ts";

type Row = {
  total: number;
  items: { id: string; slug: string; name: string; price_amount: number; currency: string; status: "draft" | "active" | "archived"; brand_id: string | null; image: { url: string; alt: string } | null; in_stock: boolean; created_at: string; rank: number | null }[];
  brands: { value: string; label: string; count: number }[] | null;
  categories: { value: string; label: string; count: number }[] | null;
  bands: number[] | null;
  attrs: { code: string; name: string; value: string; count: number }[] | null;
  in_stock: number | null;
};

const byCount = <T extends { count: number; label: string }>(list: T[]) => list.sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));

function orderBy(sort: SearchSort): SQL {
  switch (sort) {
    case "relevance":
      return sql`rank desc, id desc`;
    case "newest":
      return sql`id desc`;
    case "price_asc":
      return sql`price_amount asc, id asc`;
    case "price_desc":
      return sql`price_amount desc, id desc`;
    case "name":
      return sql`name asc, id asc`;
  }
}

function afterCursor(sort: SearchSort, raw: string | undefined): SQL {
  if (!raw) return sql`true`;
  const c = decodeCursor(raw, sort);
  switch (c.sort) {
    case "relevance":
      return sql`(rank, id) < (${c.key}::float8, ${c.id})`;
    case "newest":
      return sql`id < ${c.id}`;
    case "price_asc":
      return sql`(price_amount, id) > (${c.key}::bigint, ${c.id})`;
    case "price_desc":
      return sql`(price_amount, id) < (${c.key}::bigint, ${c.id})`;
    case "name":
      return sql`(name, id) > (${c.key}::text, ${c.id})`;
  }
}

function cursorFor(sort: SearchSort, item: Row["items"][number]): string {
  switch (sort) {
    case "relevance":
      return encodeCursor({ sort, key: item.rank ?? 0, id: item.id });
    case "newest":
      return encodeCursor({ sort, id: item.id });
    case "price_asc":
    case "price_desc":
      return encodeCursor({ sort, key: Number(item.price_amount), id: item.id });
    case "name":
      return encodeCursor({ sort, key: item.name, id: item.id });
  }
}

type Table = (name: string) => SQL;

/** The Postgres engine: one statement per search (matches, page, total and every facet). */
export async function searchProducts(tenancy: Tenancy, tenantId: string, req: SearchRequest, terms = queryTerms(req.q)): Promise<SearchResult> {
  const hasText = terms.length > 0;
  const sort: SearchSort = req.sort === "relevance" && !hasText ? "newest" : (req.sort ?? (hasText ? "relevance" : "newest"));
  const withFacets = req.facets ?? true;

  const limit = req.limit;
  const build = (t: Table): SQL => {
    const ctes: SQL[] = [];
    const where: SQL[] = [];
    if (!req.includeUnpublished) where.push(sql`p.status = 'active'`);
    if (hasText) {
      ctes.push(sql`q as (select to_tsquery('english', ${tsQuerySource(terms)}) as tq)`);
      where.push(sql`(numnode((select tq from q)) = 0 or p.search @@ (select tq from q))`);
    }
    if (req.category) {
      ctes.push(sql`cat_tree as (
        select id from ${t("categories")} where id = ${req.category} or slug = ${req.category}
        union select c.id from ${t("categories")} c join cat_tree ct on c.parent_id = ct.id)`);
      where.push(sql`exists (select 1 from ${t("product_categories")} pc where pc.product_id = p.id and pc.category_id in (select id from cat_tree))`);
    }
    if (req.brands?.length) {
      where.push(sql`p.brand_id in (select id from ${t("brands")} where id = any(${sql.param(req.brands)}::text[]) or slug = any(${sql.param(req.brands)}::text[]))`);
    }
    if (req.minPrice !== undefined) where.push(sql`p.price_amount >= ${req.minPrice}`);
    if (req.maxPrice !== undefined) where.push(sql`p.price_amount <= ${req.maxPrice}`);
    if (req.inStock) where.push(sql`p.in_stock`);
    for (const [code, values] of Object.entries(req.attributes ?? {})) {
      where.push(sql`(p.attributes ->> ${code}) = any(${sql.param(values)}::text[])`);
    }
    const rank = hasText ? sql`ts_rank_cd(p.search, (select tq from q))::float8` : sql`null::float8`;
    ctes.push(sql`m as materialized (
      select p.id, p.slug, p.name, p.price_amount, p.currency, p.status, p.brand_id, p.images -> 0 as image, p.in_stock, p.created_at,
             p.attributes, ${rank} as rank
      from ${t("products")} p
      where ${where.length ? sql.join(where, sql` and `) : sql`true`})`);

    const facetSql = withFacets
      ? sql`,
        (select json_agg(json_build_object('value', b.slug, 'label', b.name, 'count', f.n))
           from (select brand_id, count(*)::int as n from m where brand_id is not null group by brand_id) f join ${t("brands")} b on b.id = f.brand_id) as brands,
        (select json_agg(json_build_object('value', c.slug, 'label', c.name, 'count', f.n))
           from (select a.anc, count(distinct pc.product_id)::int as n
                   from m join ${t("product_categories")} pc on pc.product_id = m.id join anc a on a.cat = pc.category_id group by a.anc) f
           join ${t("categories")} c on c.id = f.anc) as categories,
        (select json_build_array(${sql.join(
          PRICE_BANDS.map(([lo, hi]) => (hi === null ? sql`count(*) filter (where price_amount >= ${lo})::int` : sql`count(*) filter (where price_amount >= ${lo} and price_amount < ${hi})::int`)),
          sql`, `,
        )}) from m) as bands,
        (select json_agg(json_build_object('code', f.key, 'name', d.name, 'value', f.value, 'count', f.n))
           from (select a.key, a.value, count(*)::int as n from m, jsonb_each_text(m.attributes) a group by a.key, a.value) f
           join ${t("attributes")} d on d.code = f.key and d.filterable) as attrs,
        (select count(*)::int from m where in_stock) as in_stock`
      : sql``;
    if (withFacets) {
      ctes.push(sql`anc(cat, anc) as (
        select id, id from ${t("categories")}
        union all select a.cat, c.parent_id from anc a join ${t("categories")} c on c.id = a.anc where c.parent_id is not null)`);
    }
    return sql`
      with recursive ${sql.join(ctes, sql`, `)}
      select
        (select count(*)::int from m) as total,
        (select coalesce(json_agg(x), '[]'::json) from (
           select id, slug, name, price_amount, currency, status, brand_id, image, in_stock, created_at, rank
           from m where ${afterCursor(sort, req.cursor)} order by ${orderBy(sort)} limit ${limit + 1}) x) as items
        ${facetSql}`;
  };
  const rows = await tenancy.read<Row>(tenantId, build);
  const row = rows[0]!;
  const more = row.items.length > limit;
  const page = row.items.slice(0, limit);
  let facets: SearchFacets | null = null;
  if (withFacets) {
    const attrs = new Map<string, { code: string; name: string; values: { value: string; label: string; count: number }[] }>();
    for (const a of row.attrs ?? []) {
      const entry = attrs.get(a.code) ?? { code: a.code, name: a.name, values: [] };
      entry.values.push({ value: a.value, label: a.value, count: a.count });
      attrs.set(a.code, entry);
    }
    facets = {
      brands: byCount(row.brands ?? []),
      categories: byCount(row.categories ?? []),
      priceBands: PRICE_BANDS.map(([min, max], i) => ({ min, max, count: row.bands?.[i] ?? 0 })).filter((b) => b.count > 0),
      attributes: [...attrs.values()].sort((a, b) => a.code.localeCompare(b.code)).map((a) => ({ ...a, values: byCount(a.values) })),
      inStock: row.in_stock ?? 0,
    };
  }
  return {
    items: page.map((i) => ({
      id: i.id,
      slug: i.slug,
      name: i.name,
      price: { amount: Number(i.price_amount), currency: i.currency },
      status: i.status,
      brandId: i.brand_id,
      image: i.image,
      inStock: i.in_stock,
      createdAt: new Date(i.created_at).toISOString(),
    })),
    nextCursor: more && page.length ? cursorFor(sort, page.at(-1)!) : null,
    total: row.total,
    facets,
    corrections: [],
  };
}

/**
 * Words of the query this store's catalog does not know, each with the catalog word it most likely
 * meant (pg_trgm proposes candidates through the vocabulary's trigram index; edit distance decides).
 */
export async function correctTerms(tx: Tx, terms: string[]): Promise<{ from: string; to: string }[]> {
  if (terms.length === 0) return [];
  const last = terms.at(-1)!;
  const known = await tx.execute<{ word: string }>(sql`
    select word from search_words where word = any(${sql.param(terms)}::text[])
    union all (select ${last}::text from search_words where word like ${last.replace(/[\\%_]/g, "\\$&") + "%"} limit 1)`);
  const knownSet = new Set([...known].map((k) => k.word));
  const unknown = terms.filter((t) => !knownSet.has(t) && t.length > 3);
  if (unknown.length === 0) return [];
  await tx.execute(sql`select set_config('pg_trgm.similarity_threshold', '0.2', true)`);
  const candidates = await tx.execute<{ term: string; word: string; similarity: number }>(sql`
    select t.term, w.word, public.similarity(w.word, t.term) as similarity
    from unnest(${sql.param(unknown)}::text[]) as t(term)
    cross join lateral (
      select word from search_words where word operator(public.%) t.term
      order by word operator(public.<->) t.term limit 8) w`);
  const list = [...candidates];
  return unknown.flatMap((term) => {
    const to = bestCorrection(term, list.filter((c) => c.term === term));
    return to ? [{ from: term, to }] : [];
  });
}

export function createPostgresEngine(tenancy: Tenancy): SearchEngine {
  return {
    name: "postgres",
    async search(tenantId, req) {
      const terms = queryTerms(req.q);
      const first = await searchProducts(tenancy, tenantId, req, terms);
      if (first.total > 0 || terms.length === 0) return first;
      // Nothing matched: read mistyped words as the nearest catalog words and try once more.
      const corrections = await tenancy.withTenant(tenantId, (tx) => correctTerms(tx, terms));
      if (corrections.length === 0) return first;
      const fixed = terms.map((t) => corrections.find((c) => c.from === t)?.to ?? t);
      return { ...(await searchProducts(tenancy, tenantId, req, fixed)), corrections };
    },
  };
}
