import { z } from "@hono/zod-openapi";
import { CurrencyCode, Problem } from "@bazaar/contracts";

const Flag = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");

export const ImportFormat = z.enum(["csv", "json", "ndjson"]);

/** `POST /api/v1/admin/imports` parameters. */
export const ImportQuery = z.object({
  /** csv, json (an array) or ndjson; taken from Content-Type when left out. */
  format: ImportFormat.optional(),
  /** Check the file and report what would be created and updated; write nothing. */
  dryRun: Flag.optional(),
  /** Import the valid products and report the invalid ones, instead of refusing the whole file. */
  skipInvalid: Flag.optional(),
  /** Currency of products (rows) that name none. */
  currency: CurrencyCode.optional(),
});

export const ImportError = z.object({
  /** CSV line number (the header is line 1), JSON array index (from 0) or NDJSON line number. */
  row: z.number().int(),
  /** CSV column (`price`, `attr.material`, `option1_value`) or JSON path (`variants.0.price`). */
  field: z.string(),
  message: z.string(),
});

export const ImportStatus = z.enum(["queued", "validating", "importing", "completed", "failed"]);

export const ImportJob = z.object({
  id: z.string(),
  status: ImportStatus,
  format: ImportFormat,
  dryRun: z.boolean(),
  skipInvalid: z.boolean(),
  counts: z.object({
    /** Rows read so far: CSV data lines, JSON items, NDJSON lines. */
    rows: z.number().int(),
    valid: z.number().int(),
    invalid: z.number().int(),
    products: z.number().int(),
    /** Products created and updated so far; for a dry run, what the import would do. */
    created: z.number().int(),
    updated: z.number().int(),
    /** Every error found, also those past the report's first 1,000. */
    errors: z.number().int(),
  }),
  errors: z.array(ImportError),
  bytes: z.number().int(),
  /** Why a failed import failed. */
  message: z.string().nullable(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type ImportJob = z.infer<typeof ImportJob>;

/** The list carries no error reports (read one job for its report). */
export const ImportSummary = ImportJob.omit({ errors: true });

/** A refused import: the problem's `errors` are the report, and `import` is the stored job. */
export const ImportProblem = Problem.extend({
  errors: z.array(ImportError.extend({ path: z.string() })).optional(),
  import: ImportJob.optional(),
});
