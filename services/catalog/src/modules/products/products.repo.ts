import { and, desc, eq, lt, or } from "drizzle-orm";
import type { Tx } from "@bazaar/service-kit/db";
import { products } from "../../db/schema/index.ts";

export type ProductRow = typeof products.$inferSelect;

export async function insertProduct(tx: Tx, row: typeof products.$inferInsert): Promise<ProductRow> {
  const [created] = await tx.insert(products).values(row).returning();
  return created!;
}

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
  const conds = [
    opts.status ? eq(products.status, opts.status) : undefined,
    opts.after ? lt(products.id, opts.after) : undefined,
  ].filter((c) => c !== undefined);
  return tx
    .select()
    .from(products)
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(desc(products.id))
    .limit(opts.limit + 1);
}
