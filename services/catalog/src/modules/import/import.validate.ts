import { eq, sql } from "drizzle-orm";
import { ImportProduct } from "@bazaar/contracts";
import type { Tx } from "@bazaar/service-kit/db";
import { attributes, brands, categories, products, variants } from "../../db/schema/index.ts";
import { attributeProblem } from "../products/products.service.ts";
import type { AttributeRow } from "../products/products.repo.ts";
import type { Candidate, RowError } from "./import.types.ts";

type Named = { id: string; name: string };

/** What a file's products may refer to: the store's brands, categories (by slug or id) and attributes. */
export interface StoreRefs {
  brands: Map<string, Named>;
  categories: Map<string, Named>;
  attributes: Map<string, AttributeRow>;
}

export async function loadRefs(tx: Tx): Promise<StoreRefs> {
  const [bs, cs, as] = await Promise.all([
    tx.select({ id: brands.id, slug: brands.slug, name: brands.name }).from(brands),
    tx.select({ id: categories.id, slug: categories.slug, name: categories.name }).from(categories),
    tx.select().from(attributes),
  ]);
  const bySlugAndId = (rows: { id: string; slug: string; name: string }[]) => new Map(rows.flatMap((r) => [[r.slug, r] as const, [r.id, r] as const]));
  return { brands: bySlugAndId(bs), categories: bySlugAndId(cs), attributes: new Map(as.map((a) => [a.code, a])) };
}

/** A product that passed the checks, with its references resolved to ids. */
export interface ValidProduct {
  product: ImportProduct;
  row: number;
  rows: number;
  brandId: string | null;
  categoryIds: string[];
  /** Brand and category names, for the store's search vocabulary. */
  taxonomyNames: string[];
  /** Set by `checkAgainstStore`: a product with this slug exists (the import updates it). */
  exists?: boolean;
  locate: Candidate["locate"];
}

export type Checked = { ok: true; valid: ValidProduct } | { ok: false; errors: RowError[] };

/** Text Postgres cannot store: NUL, or half of a UTF-16 surrogate pair (which jsonb refuses). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const unstorable = (text: string) => text.includes("\u0000") || LONE_SURROGATE.test(text);

/** The first path in a value whose text (key or string) cannot be stored. */
function unstorablePath(value: unknown, path: (string | number)[] = []): (string | number)[] | undefined {
  if (typeof value === "string") return unstorable(value) ? path : undefined;
  if (value === null || typeof value !== "object") return undefined;
  for (const [k, v] of Object.entries(value)) {
    const key = Array.isArray(value) ? Number(k) : k;
    if (unstorable(k)) return [...path, key];
    const found = unstorablePath(v, [...path, key]);
    if (found) return found;
  }
  return undefined;
}

/**
 * Checks each product of a file on its own and against the ones before it: the ImportProduct
 * schema, the store's brands, categories and typed attributes, text that cannot be stored, and slugs and SKUs
 * used twice in the file. The store's own slugs and SKUs are checked in batches (checkAgainstStore).
 */
export class Validator {
  private readonly slugs = new Map<string, number>();
  private readonly skus = new Map<string, number>();

  constructor(
    private readonly refs: StoreRefs,
    private readonly opts: { defaultCurrency?: string | undefined },
  ) {}

  check(c: Candidate): Checked {
    const errors: RowError[] = [...c.errors];
    // One error per cell: the reader's (a cell that is not a number, a malformed row) wins.
    const taken = new Set(errors.map((e) => `${e.row}:${e.field}`));
    const add = (path: readonly PropertyKey[], message: string) => {
      const at = c.locate(path);
      const key = `${at.row}:${at.field}`;
      if (taken.has(key) || taken.has(`${at.row}:(row)`)) return;
      taken.add(key);
      errors.push({ ...at, message });
    };
    let value = c.value;
    if (this.opts.defaultCurrency && value !== null && typeof value === "object" && !Array.isArray(value) && !("currency" in value)) {
      value = { ...value, currency: this.opts.defaultCurrency };
    }
    const parsed = ImportProduct.safeParse(value);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) add(issue.path, issue.message);
      return { ok: false, errors };
    }
    const p = parsed.data;
    // JSON.stringify writes both as \u escapes: one cheap test for the whole product.
    const bad = /\\u(0000|d[89a-f])/i.test(JSON.stringify(p)) ? unstorablePath(p) : undefined;
    if (bad) add(bad, "contains a NUL character or a broken surrogate pair, which cannot be stored");

    const firstRow = this.slugs.get(p.slug);
    if (firstRow !== undefined) add(["slug"], `another product in this file has this slug (row ${firstRow}); a product's CSV rows must be consecutive`);
    else this.slugs.set(p.slug, c.row);
    p.variants.forEach((v, i) => {
      const at = this.skus.get(v.sku);
      if (at !== undefined) add(["variants", i, "sku"], `SKU ${v.sku} is used twice in this file (first at row ${at})`);
      else this.skus.set(v.sku, c.locate(["variants", i, "sku"]).row);
    });

    const brand = p.brand === null ? null : this.refs.brands.get(p.brand);
    if (brand === undefined) add(["brand"], `no brand "${p.brand}" in this store (create it first)`);
    const cats = p.categories.map((ref, i) => {
      const cat = this.refs.categories.get(ref);
      if (!cat) add(["categories", i], `no category "${ref}" in this store (create it first)`);
      return cat;
    });
    for (const [code, v] of Object.entries(p.attributes)) {
      const problem = attributeProblem(this.refs.attributes.get(code), v);
      if (problem) add(["attributes", code], problem);
    }
    if (errors.length) return { ok: false, errors };
    const categoryList = cats.filter((x): x is Named => x !== undefined);
    return {
      ok: true,
      valid: {
        product: p,
        row: c.row,
        rows: c.rows,
        brandId: brand?.id ?? null,
        categoryIds: [...new Set(categoryList.map((x) => x.id))],
        taxonomyNames: [...(brand ? [brand.name] : []), ...categoryList.map((x) => x.name)],
        locate: c.locate,
      },
    };
  }
}

/**
 * Check a batch of products against the store: a SKU that another product already uses is an
 * error; a slug that exists marks the product as an update. Returns the errors per product.
 */
export async function checkAgainstStore(tx: Tx, batch: ValidProduct[]): Promise<Map<ValidProduct, RowError[]>> {
  const out = new Map<ValidProduct, RowError[]>();
  if (batch.length === 0) return out;
  const skus = batch.flatMap((b) => b.product.variants.map((v) => v.sku));
  const [existing, owners] = await Promise.all([
    tx.select({ slug: products.slug }).from(products).where(sql`${products.slug} = any(${sql.param(batch.map((b) => b.product.slug))}::text[])`),
    tx
      .select({ sku: variants.sku, slug: products.slug })
      .from(variants)
      .innerJoin(products, eq(products.id, variants.productId))
      .where(sql`${variants.sku} = any(${sql.param(skus)}::text[])`),
  ]);
  const existingSlugs = new Set(existing.map((r) => r.slug));
  const ownerOf = new Map(owners.map((o) => [o.sku, o.slug]));
  for (const b of batch) {
    b.exists = existingSlugs.has(b.product.slug);
    b.product.variants.forEach((v, i) => {
      const owner = ownerOf.get(v.sku);
      if (owner !== undefined && owner !== b.product.slug) {
        const list = out.get(b) ?? [];
        list.push({ ...b.locate(["variants", i, "sku"]), message: `SKU ${v.sku} is already used by the product "${owner}" in this store` });
        out.set(b, list);
      }
    });
  }
  return out;
}
