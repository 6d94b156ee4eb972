import { bigint, boolean, integer, jsonb, pgTable, text, timestamp } from "drizzle-orm/pg-core";

export type StoredImportError = { row: number; field: string; message: string };

/**
 * Bulk import jobs: one row per upload, written from short transactions of their own while the
 * import runs, so its progress is readable before the import's own transaction commits.
 */
export const imports = pgTable("imports", {
    id: text("id").primaryKey(),
    status: text("status", { enum: ["queued", "validating", "importing", "completed", "failed"] }).notNull(),
    format: text("format", { enum: ["csv", "json", "ndjson"] }).notNull(),
    dryRun: boolean("dry_run").notNull().default(false),
    skipInvalid: boolean("skip_invalid").notNull().default(false),
    /** Rows read: CSV lines of data, JSON array items, NDJSON lines. */
    rowsRead: integer("rows_read").notNull().default(0),
    rowsValid: integer("rows_valid").notNull().default(0),
    rowsInvalid: integer("rows_invalid").notNull().default(0),
    productsRead: integer("products_read").notNull().default(0),
    /** Products written so far (or, for a dry run, that would be). */
    created: integer("created").notNull().default(0),
    updated: integer("updated").notNull().default(0),
    errorCount: integer("error_count").notNull().default(0),
    /** The first errors (capped); `errorCount` counts them all. */
    errors: jsonb("errors").$type<StoredImportError[]>().notNull().default([]),
    bytes: bigint("bytes", { mode: "number" }).notNull().default(0),
    /** Why a failed import failed, in a sentence. */
    message: text("message"),
    createdBy: text("created_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  finishedAt: timestamp("finished_at", { withTimezone: true }),
});
