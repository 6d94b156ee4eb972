import { sql } from "drizzle-orm";
import type { SearchFacets, SearchResult, SearchSort } from "@bazaar/contracts";
import type { Tenancy } from "@bazaar/service-kit/tenancy";
import { decodeCursor, encodeCursor } from "./cursor.ts";
import { PRICE_BANDS, type SearchEngine, type SearchRequest } from "./engine.ts";
import { correctTerms, searchProducts } from "./postgres.ts";
import { queryTerms } from "./text.ts";

/**
 * The default engine: Postgres owns the text analysis (each product's weighted `tsvector`, the English
 * stemmer for query words, pg_trgm for typos), and each catalog instance keeps a per-store index of
 * those lexemes plus the filterable fields in memory, so a search is evaluated without a query:
 * postings intersected per word, filters and exact facet counts over the matches, pages walked in
 * pre-sorted orders. Results and facets are the same as the SQL engine's (one behaviour suite runs
 * against both). An index is loaded on first use and dropped on any change to its store (this
 * instance's own writes, and catalog events from other instances); stores too large for the memory
 * budget, and merchant searches over drafts, go to SQL.
 */

/** ts_rank's default weights for D, C, B, A. */
const WEIGHT: Record<string, number> = { A: 1, B: 0.4, C: 0.2, D: 0.1 };
const collator = new Intl.Collator("en", { sensitivity: "variant" });

interface Doc {
  id: string;
  slug: string;
  name: string;
  price: number;
  currency: string;
  status: "draft" | "active" | "archived";
  brand: number;
  image: { url: string; alt: string } | null;
  inStock: boolean;
  createdAt: string;
  /** Category indexes with all their ancestors. */
  cats: number[];
  /** Attribute (code, text form) pairs as indexes into `attrKeys`, filterable attributes only. */
  attrs: number[];
  /** Every attribute's text form, for filters. */
  attrText: Record<string, string>;
  /** Index into PRICE_BANDS. */
  band: number;
}

/** One product as the index loads it (attributes in their Postgres text form). */
type ProductRow = {
  id: string;
  slug: string;
  name: string;
  price_amount: string | number;
  currency: string;
  status: Doc["status"];
  brand_id: string | null;
  image: Doc["image"];
  in_stock: boolean;
  created_at: Date | string;
  attrs: Record<string, string> | null;
  cats: string[] | null;
  lex: [string, string[]][] | null;
};

interface Posting {
  docs: Int32Array;
  weights: Float32Array;
}

export class TenantIndex {
  readonly docs: Doc[] = [];
  readonly brands: { id: string; slug: string; name: string }[] = [];
  readonly categories: { id: string; slug: string; name: string; parent: number }[] = [];
  readonly attrKeys: { code: string; name: string; value: string }[] = [];
  /** Lexemes in code-unit order (for prefix ranges) and their postings. */
  lexemes: string[] = [];
  postings = new Map<string, Posting>();
  byNewest!: Int32Array;
  byPriceAsc!: Int32Array;
  byName!: Int32Array;
  // Columns for the hot loops (one entry per doc).
  private active!: Uint8Array;
  private price!: Float64Array;
  private brandOf!: Int32Array;
  private stocked!: Uint8Array;
  private bandOf!: Int8Array;
  /** Position in ascending id order (ids are time-sortable): tie-breaks without string compares. */
  private idRank!: Int32Array;
  /**
   * Facet keys per doc in one array (CSR: doc i owns keys[keyOff[i]..keyOff[i+1]]): brand b is key
   * b, category c is B + c (with its ancestors), filterable attribute value a is B + C + a.
   */
  private keyOff!: Int32Array;
  private keys!: Int32Array;
  /** Per facet key, its label's position in collation order. */
  private labelRank!: Int32Array;

  static async load(tenancy: Tenancy, tenantId: string): Promise<TenantIndex> {
    const index = new TenantIndex();
    await tenancy.withTenant(tenantId, async (tx) => {
      const [cats, brands, attrs, rows] = await Promise.all([
        tx.execute<{ id: string; slug: string; name: string; parent_id: string | null }>(sql`select id, slug, name, parent_id from categories`),
        tx.execute<{ id: string; slug: string; name: string }>(sql`select id, slug, name from brands`),
        tx.execute<{ code: string; name: string; filterable: boolean }>(sql`select code, name, filterable from attributes`),
        tx.execute<ProductRow>(sql`
          select p.id, p.slug, p.name, p.price_amount, p.currency, p.status, p.brand_id, p.images -> 0 as image, p.in_stock, p.created_at,
                 (select json_object_agg(a.key, a.value) from jsonb_each_text(p.attributes) a) as attrs,
                 (select array_agg(pc.category_id) from product_categories pc where pc.product_id = p.id) as cats,
                 (select json_agg(json_build_array(l.lexeme, l.weights)) from unnest(p.search) l) as lex
          from products p`),
      ]);
      index.build([...cats], [...brands], [...attrs], [...rows]);
    });
    return index;
  }

  private build(
    cats: { id: string; slug: string; name: string; parent_id: string | null }[],
    brands: { id: string; slug: string; name: string }[],
    attrs: { code: string; name: string; filterable: boolean }[],
    rows: ProductRow[],
  ): void {
    const catIdx = new Map(cats.map((c, i) => [c.id, i]));
    for (const c of cats) this.categories.push({ id: c.id, slug: c.slug, name: c.name, parent: c.parent_id ? (catIdx.get(c.parent_id) ?? -1) : -1 });
    const ancestry = this.categories.map((_, i) => {
      const out: number[] = [];
      for (let c = i, guard = 0; c >= 0 && guard < 100; c = this.categories[c]!.parent, guard++) out.push(c);
      return out;
    });
    const brandIdx = new Map(brands.map((b, i) => [b.id, i]));
    this.brands.push(...brands);
    const filterable = new Map(attrs.filter((a) => a.filterable).map((a) => [a.code, a.name]));
    const attrKeyIdx = new Map<string, number>();
    const lexDocs = new Map<string, { docs: number[]; weights: number[] }>();
    rows.forEach((r, d) => {
      const docCats = new Set<number>();
      for (const c of r.cats ?? []) for (const a of ancestry[catIdx.get(c) ?? -1] ?? []) docCats.add(a);
      const attrText = r.attrs ?? {};
      const docAttrs: number[] = [];
      for (const [code, value] of Object.entries(attrText)) {
        const name = filterable.get(code);
        if (name === undefined) continue;
        const key = `${code}\u0000${value}`;
        let k = attrKeyIdx.get(key);
        if (k === undefined) {
          k = this.attrKeys.push({ code, name, value }) - 1;
          attrKeyIdx.set(key, k);
        }
        docAttrs.push(k);
      }
      this.docs.push({
        id: r.id,
        slug: r.slug,
        name: r.name,
        price: Number(r.price_amount),
        currency: r.currency,
        status: r.status,
        brand: r.brand_id ? (brandIdx.get(r.brand_id) ?? -1) : -1,
        image: r.image,
        inStock: r.in_stock,
        createdAt: new Date(r.created_at).toISOString(),
        cats: [...docCats],
        attrs: docAttrs,
        attrText,
        band: PRICE_BANDS.findIndex(([lo, hi]) => Number(r.price_amount) >= lo && (hi === null || Number(r.price_amount) < hi)),
      });
      for (const [lexeme, weights] of r.lex ?? []) {
        const w = Math.max(...weights.map((x) => WEIGHT[x] ?? 0.1));
        let p = lexDocs.get(lexeme);
        if (!p) lexDocs.set(lexeme, (p = { docs: [], weights: [] }));
        p.docs.push(d);
        p.weights.push(w);
      }
    });
    this.lexemes = [...lexDocs.keys()].sort();
    for (const [lexeme, p] of lexDocs) this.postings.set(lexeme, { docs: Int32Array.from(p.docs), weights: Float32Array.from(p.weights) });
    const order = (cmp: (a: Doc, b: Doc) => number) => Int32Array.from(this.docs.map((_, i) => i).sort((a, b) => cmp(this.docs[a]!, this.docs[b]!)));
    const byId = (a: Doc, b: Doc) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    this.byNewest = order((a, b) => byId(b, a));
    this.byPriceAsc = order((a, b) => a.price - b.price || byId(a, b));
    this.byName = order((a, b) => collator.compare(a.name, b.name) || byId(a, b));
    const n = this.docs.length;
    const B = this.brands.length;
    const C = this.categories.length;
    this.active = Uint8Array.from(this.docs, (d) => (d.status === "active" ? 1 : 0));
    this.price = Float64Array.from(this.docs, (d) => d.price);
    this.brandOf = Int32Array.from(this.docs, (d) => d.brand);
    this.stocked = Uint8Array.from(this.docs, (d) => (d.inStock ? 1 : 0));
    this.bandOf = Int8Array.from(this.docs, (d) => d.band);
    this.idRank = new Int32Array(n);
    for (let r = 0; r < n; r++) this.idRank[this.byNewest[n - 1 - r]!] = r;
    this.keyOff = new Int32Array(n + 1);
    const keys: number[] = [];
    this.docs.forEach((d, i) => {
      if (d.brand >= 0) keys.push(d.brand);
      for (const c of d.cats) keys.push(B + c);
      for (const a of d.attrs) keys.push(B + C + a);
      this.keyOff[i + 1] = keys.length;
    });
    this.keys = Int32Array.from(keys);
    const labels = [...this.brands.map((b) => b.name), ...this.categories.map((c) => c.name), ...this.attrKeys.map((k) => k.value)];
    this.labelRank = new Int32Array(labels.length);
    labels
      .map((label, k) => ({ label, k }))
      .sort((a, b) => collator.compare(a.label, b.label) || a.k - b.k)
      .forEach(({ k }, r) => (this.labelRank[k] = r));
  }

  /** Per doc, the relevance of a query (0 = no match), or null when there is no text condition. */
  private match(query: { lexeme: string; prefix: boolean }[]): Float32Array | null {
    if (query.length === 0) return null;
    const n = this.docs.length;
    let score: Float32Array | null = null;
    for (const { lexeme, prefix } of query) {
      const best = new Float32Array(n);
      const add = (p: Posting) => {
        for (let i = 0; i < p.docs.length; i++) if (p.weights[i]! > best[p.docs[i]!]!) best[p.docs[i]!] = p.weights[i]!;
      };
      if (prefix) {
        let lo = 0;
        let hi = this.lexemes.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (this.lexemes[mid]! < lexeme) lo = mid + 1;
          else hi = mid;
        }
        for (let i = lo; i < this.lexemes.length && this.lexemes[i]!.startsWith(lexeme); i++) add(this.postings.get(this.lexemes[i]!)!);
      } else {
        const p = this.postings.get(lexeme);
        if (p) add(p);
      }
      if (!score) score = best;
      else for (let i = 0; i < n; i++) score[i] = best[i]! > 0 && score[i]! > 0 ? score[i]! + best[i]! : 0;
    }
    return score;
  }

  search(req: SearchRequest, query: { lexeme: string; prefix: boolean }[] | null): SearchResult {
    const hasText = query !== null;
    const sort: SearchSort = req.sort === "relevance" && !hasText ? "newest" : (req.sort ?? (hasText ? "relevance" : "newest"));
    const score = query ? this.match(query) : null;
    const n = this.docs.length;

    const B = this.brands.length;
    const C = this.categories.length;
    let catAllowed: Uint8Array | null = null;
    if (req.category) {
      const root = this.categories.findIndex((c) => c.id === req.category || c.slug === req.category);
      catAllowed = new Uint8Array(C);
      // The category and its descendants: every category whose ancestry contains it.
      if (root >= 0) {
        for (let i = 0; i < C; i++) {
          for (let c = i, guard = 0; c >= 0 && guard < 100; c = this.categories[c]!.parent, guard++) if (c === root) catAllowed[i] = 1;
        }
      }
    }
    let brandAllowed: Uint8Array | null = null;
    if (req.brands?.length) {
      brandAllowed = new Uint8Array(B);
      this.brands.forEach((b, i) => {
        if (req.brands!.includes(b.id) || req.brands!.includes(b.slug)) brandAllowed![i] = 1;
      });
    }
    // Attribute filters on filterable attributes use the facet keys (a doc has one value per code,
    // so it passes when it holds one allowed key per filtered code); others read the text form.
    const filterableCodes = new Set(this.attrKeys.map((k) => k.code));
    const attrFilters = Object.entries(req.attributes ?? {});
    const keyed = attrFilters.filter(([code]) => filterableCodes.has(code));
    const slow = attrFilters.filter(([code]) => !filterableCodes.has(code));
    const attrAllowed = new Uint8Array(this.attrKeys.length);
    for (const [code, values] of keyed) this.attrKeys.forEach((k, i) => k.code === code && values.includes(k.value) && (attrAllowed[i] = 1));
    const needAttr = keyed.length;
    const scanKeys = catAllowed !== null || needAttr > 0;
    const { active, price, stocked, brandOf, keyOff, keys } = this;
    const minPrice = req.minPrice ?? -Infinity;
    const maxPrice = req.maxPrice ?? Infinity;
    const list = new Int32Array(n);
    let total = 0;
    for (let i = 0; i < n; i++) {
      if (!req.includeUnpublished && !active[i]) continue;
      if (score && !(score[i]! > 0)) continue;
      const p = price[i]!;
      if (p < minPrice || p > maxPrice) continue;
      if (req.inStock && !stocked[i]) continue;
      if (brandAllowed) {
        const b = brandOf[i]!;
        if (b < 0 || !brandAllowed[b]) continue;
      }
      if (scanKeys) {
        let catOk = catAllowed === null;
        let hits = 0;
        for (let j = keyOff[i]!, end = keyOff[i + 1]!; j < end; j++) {
          const k = keys[j]!;
          if (k < B) continue;
          if (k < B + C) {
            if (catAllowed && catAllowed[k - B]) catOk = true;
          } else if (attrAllowed[k - B - C]) hits++;
        }
        if (!catOk || hits !== needAttr) continue;
      }
      if (slow.length) {
        const text = this.docs[i]!.attrText;
        if (!slow.every(([code, values]) => text[code] !== undefined && values.includes(text[code]!))) continue;
      }
      list[total++] = i;
    }
    const matched = list.subarray(0, total);

    const page = this.page(sort, req, matched, score);
    return { items: page.items, nextCursor: page.nextCursor, total, facets: req.facets === false ? null : this.facets(matched), corrections: [] };
  }

  private page(sort: SearchSort, req: SearchRequest, matched: Int32Array, score: Float32Array | null) {
    const limit = req.limit;
    const cursor = req.cursor ? decodeCursor(req.cursor, sort) : undefined;
    const picked: number[] = [];
    if (sort === "relevance") {
      // Top (limit + 1) by (score desc, id desc) after the cursor: a bounded insertion list.
      const rank = this.idRank;
      const sc = score!;
      const before = (a: number, b: number) => sc[a]! > sc[b]! || (sc[a] === sc[b] && rank[a]! > rank[b]!);
      for (let t = 0; t < matched.length; t++) {
        const i = matched[t]!;
        if (cursor) {
          const s = sc[i]!;
          const k = cursor.key as number;
          if (!(s < k || (s === k && this.docs[i]!.id < cursor.id))) continue;
        }
        if (picked.length === limit + 1 && !before(i, picked[limit]!)) continue;
        let at = picked.length;
        while (at > 0 && before(i, picked[at - 1]!)) at--;
        picked.splice(at, 0, i);
        if (picked.length > limit + 1) picked.pop();
      }
    } else {
      const order = sort === "name" ? this.byName : sort === "newest" ? this.byNewest : this.byPriceAsc;
      const desc = sort === "price_desc";
      const after = (d: Doc): boolean => {
        if (!cursor) return true;
        switch (sort) {
          case "newest":
            return d.id < cursor.id;
          case "price_asc":
            return d.price > (cursor.key as number) || (d.price === cursor.key && d.id > cursor.id);
          case "price_desc":
            return d.price < (cursor.key as number) || (d.price === cursor.key && d.id < cursor.id);
          default: {
            const c = collator.compare(d.name, cursor.key as string);
            return c > 0 || (c === 0 && d.id > cursor.id);
          }
        }
      };
      const member = new Uint8Array(this.docs.length);
      for (let t = 0; t < matched.length; t++) member[matched[t]!] = 1;
      for (let j = 0; j < order.length && picked.length <= limit; j++) {
        const i = order[desc ? order.length - 1 - j : j]!;
        if (member[i] && after(this.docs[i]!)) picked.push(i);
      }
    }
    const more = picked.length > limit;
    const items = picked.slice(0, limit).map((i) => {
      const d = this.docs[i]!;
      return {
        id: d.id,
        slug: d.slug,
        name: d.name,
        price: { amount: d.price, currency: d.currency },
        status: d.status,
        brandId: d.brand >= 0 ? this.brands[d.brand]!.id : null,
        image: d.image,
        inStock: d.inStock,
        createdAt: d.createdAt,
      };
    });
    const lastIdx = picked[limit - 1];
    let nextCursor: string | null = null;
    if (more && lastIdx !== undefined) {
      const last = this.docs[lastIdx]!;
      nextCursor =
        sort === "relevance"
          ? encodeCursor({ sort, key: score![lastIdx]!, id: last.id })
          : sort === "newest"
            ? encodeCursor({ sort, id: last.id })
            : sort === "name"
              ? encodeCursor({ sort, key: last.name, id: last.id })
              : encodeCursor({ sort, key: last.price, id: last.id });
    }
    return { items, nextCursor };
  }

  private facets(matched: Int32Array): SearchFacets {
    const B = this.brands.length;
    const C = this.categories.length;
    const counts = new Int32Array(B + C + this.attrKeys.length);
    const bandCounts = new Int32Array(PRICE_BANDS.length);
    let inStock = 0;
    const { keyOff, keys, bandOf, stocked } = this;
    for (let t = 0; t < matched.length; t++) {
      const i = matched[t]!;
      for (let j = keyOff[i]!, end = keyOff[i + 1]!; j < end; j++) counts[keys[j]!]!++;
      const band = bandOf[i]!;
      if (band >= 0) bandCounts[band]!++;
      inStock += stocked[i]!;
    }
    const brandCounts = counts.subarray(0, B);
    const catCounts = counts.subarray(B, B + C);
    const attrCounts = counts.subarray(B + C);
    // Count descending, then label (collation ranks computed once per index, not per search).
    const byCount = <T extends { count: number; rank: number }>(list: T[]) =>
      list.sort((a, b) => b.count - a.count || a.rank - b.rank).map(({ rank: _rank, ...rest }) => rest);
    const labelRank = this.labelRank;
    const attributes = new Map<string, { code: string; name: string; values: { value: string; label: string; count: number; rank: number }[] }>();
    this.attrKeys.forEach((k, i) => {
      if (!attrCounts[i]) return;
      const entry = attributes.get(k.code) ?? { code: k.code, name: k.name, values: [] };
      entry.values.push({ value: k.value, label: k.value, count: attrCounts[i]!, rank: labelRank[B + C + i]! });
      attributes.set(k.code, entry);
    });
    return {
      brands: byCount(this.brands.flatMap((b, i) => (brandCounts[i] ? [{ value: b.slug, label: b.name, count: brandCounts[i]!, rank: labelRank[i]! }] : []))),
      categories: byCount(this.categories.flatMap((c, i) => (catCounts[i] ? [{ value: c.slug, label: c.name, count: catCounts[i]!, rank: labelRank[B + i]! }] : []))),
      priceBands: PRICE_BANDS.map(([min, max], i) => ({ min, max, count: bandCounts[i]! })).filter((b) => b.count > 0),
      attributes: [...attributes.values()].sort((a, b) => a.code.localeCompare(b.code)).map((a) => ({ ...a, values: byCount(a.values) })),
      inStock,
    };
  }
}

/** Query words as Postgres's English configuration reads them (stop words dropped), cached per word. */
class Lexer {
  private readonly cache = new Map<string, string | null>();
  constructor(private readonly tenancy: Tenancy) {}

  async lexemes(tenantId: string, terms: string[]): Promise<{ lexeme: string; prefix: boolean }[]> {
    const missing = [...new Set(terms.filter((t) => !this.cache.has(t)))];
    if (missing.length) {
      const rows = await this.tenancy.read<{ term: string; lexeme: string | null }>(
        tenantId,
        () => sql`select t.term, (select l from unnest(tsvector_to_array(to_tsvector('english', t.term))) l limit 1) as lexeme
                  from unnest(${sql.param(missing)}::text[]) as t(term)`,
      );
      if (this.cache.size > 50_000) this.cache.clear();
      for (const r of rows) this.cache.set(r.term, r.lexeme);
    }
    return terms.flatMap((t, i) => {
      const lexeme = this.cache.get(t);
      return lexeme ? [{ lexeme, prefix: i === terms.length - 1 }] : [];
    });
  }
}

export interface MemoryEngine extends SearchEngine {
  /** Drop a store's index (after a change); the next search loads it again. */
  invalidate(tenantId: string): void;
}

export function createMemoryEngine(tenancy: Tenancy, opts: { maxDocs?: number } = {}): MemoryEngine {
  const maxDocs = opts.maxDocs ?? 250_000;
  const entries = new Map<string, { gen: number; index: Promise<TenantIndex>; docs: number }>();
  const generations = new Map<string, number>();
  const lexer = new Lexer(tenancy);
  const correctionCache = new Map<string, { from: string; to: string }[]>();
  let loadedDocs = 0;

  async function indexFor(tenantId: string): Promise<TenantIndex> {
    const gen = generations.get(tenantId) ?? 0;
    const hit = entries.get(tenantId);
    if (hit && hit.gen === gen) {
      entries.delete(tenantId); // most recently used last
      entries.set(tenantId, hit);
      return hit.index;
    }
    const entry = { gen, index: TenantIndex.load(tenancy, tenantId), docs: 0 };
    entries.set(tenantId, entry);
    try {
      const index = await entry.index;
      if (entries.get(tenantId) !== entry) return index; // changed while loading: use once, keep nothing
      entry.docs = index.docs.length;
      loadedDocs += entry.docs;
      for (const [id, e] of entries) {
        if (loadedDocs <= maxDocs || e === entry) break;
        entries.delete(id);
        loadedDocs -= e.docs;
      }
      return index;
    } catch (err) {
      if (entries.get(tenantId) === entry) entries.delete(tenantId);
      throw err;
    }
  }

  function invalidate(tenantId: string): void {
    generations.set(tenantId, (generations.get(tenantId) ?? 0) + 1);
    const e = entries.get(tenantId);
    if (e) {
      entries.delete(tenantId);
      loadedDocs -= e.docs;
    }
  }

  async function run(tenantId: string, req: SearchRequest, terms: string[]): Promise<SearchResult> {
    if (req.includeUnpublished) return searchProducts(tenancy, tenantId, req, terms);
    const index = await indexFor(tenantId);
    if (index.docs.length > maxDocs) return searchProducts(tenancy, tenantId, req, terms);
    const query = terms.length ? await lexer.lexemes(tenantId, terms) : [];
    return index.search(req, query.length ? query : null);
  }

  return {
    name: "postgres",
    invalidate,
    async search(tenantId, req) {
      const terms = queryTerms(req.q);
      const first = await run(tenantId, req, terms);
      if (first.total > 0 || terms.length === 0) return first;
      // Corrections depend only on the store's vocabulary: remembered until its catalog changes.
      const key = `${tenantId}\u0000${generations.get(tenantId) ?? 0}\u0000${terms.join(" ")}`;
      let corrections = correctionCache.get(key);
      if (!corrections) {
        corrections = await tenancy.withTenant(tenantId, (tx) => correctTerms(tx, terms));
        if (correctionCache.size > 10_000) correctionCache.clear();
        correctionCache.set(key, corrections);
      }
      if (corrections.length === 0) return first;
      const fixed = terms.map((t) => corrections.find((c) => c.from === t)?.to ?? t);
      return { ...(await run(tenantId, req, fixed)), corrections };
    },
  };
}

