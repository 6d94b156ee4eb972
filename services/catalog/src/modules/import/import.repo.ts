import { and, desc, eq, lt, notInArray, sql } from "drizzle-orm";
import type { Tx } from "@bazaar/service-kit/db";
import { imports } from "../../db/schema/index.ts";

export type ImportRow = typeof imports.$inferSelect;
export type ImportProgress = Partial<Pick<ImportRow, "status" | "rowsRead" | "rowsValid" | "rowsInvalid" | "productsRead" | "created" | "updated" | "errorCount" | "errors" | "bytes" | "message">>;

export async function insertImport(tx: Tx, row: typeof imports.$inferInsert): Promise<ImportRow> {
  const [created] = await tx.insert(imports).values(row).returning();
  return created!;
}

/** Record progress; a finished job (completed or failed) is never changed again. */
export async function updateImport(tx: Tx, id: string, progress: ImportProgress, finished = false): Promise<void> {
  await tx
    .update(imports)
    .set({ ...progress, updatedAt: sql`now()`, ...(finished ? { finishedAt: sql`now()` } : {}) })
    .where(and(eq(imports.id, id), notInArray(imports.status, ["completed", "failed"])));
}

export async function findImport(tx: Tx, id: string): Promise<ImportRow | undefined> {
  const [row] = await tx.select().from(imports).where(eq(imports.id, id)).limit(1);
  return row;
}

/** Newest first; the cursor is the last id seen (ids are time-sortable). */
export async function listImports(tx: Tx, opts: { limit: number; after?: string }): Promise<ImportRow[]> {
  return tx
    .select()
    .from(imports)
    .where(opts.after ? lt(imports.id, opts.after) : undefined)
    .orderBy(desc(imports.id))
    .limit(opts.limit + 1);
}
