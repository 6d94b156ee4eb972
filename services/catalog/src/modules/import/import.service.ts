import { Readable } from "node:stream";
import { CatalogEvents } from "@bazaar/contracts";
import { AppError } from "@bazaar/service-kit/errors";
import { enqueue } from "@bazaar/service-kit/events";
import { createId } from "@bazaar/service-kit/ids";
import type { Logger } from "@bazaar/service-kit/logging";
import type { Tenancy } from "@bazaar/service-kit/tenancy";
import { readCsv } from "./import.csv.ts";
import { readJsonArray, readNdjson } from "./import.json.ts";
import { ProgressWriter, Report } from "./import.progress.ts";
import { findImport, insertImport, updateImport, type ImportRow } from "./import.repo.ts";
import type { ImportJob } from "./import.schemas.ts";
import { UnreadableFile, type ImportFormat, type ReadItem } from "./import.types.ts";
import { checkAgainstStore, loadRefs, Validator, type ValidProduct } from "./import.validate.ts";
import { tryLockImports, writeBatch } from "./import.write.ts";

/** Products per store check and per write batch (multi-row statements). */
const BATCH = 500;
/** How often an import waiting for another of the same store tries again. */
const QUEUE_POLL_MS = 200;
/** An unfinished job whose row has not moved for this long was cut off (its transaction rolled back). */
const STALE_MS = 2 * 60_000;

export interface ImportOptions {
  format: ImportFormat;
  dryRun: boolean;
  skipInvalid: boolean;
  currency?: string | undefined;
  maxBytes: number;
  createdBy?: string | undefined;
}

export interface ImportDeps {
  tenancy: Tenancy;
  logger: Logger;
  /** Progress write cadence (tests slow an import down to watch it). */
  progress?: { everyMs?: number; heartbeatMs?: number };
  /** Called after each written batch, inside the import's transaction (tests pause here). */
  afterBatch?: (written: number) => Promise<void>;
}

export type ImportOutcome = { status: 200 | 201; job: ImportJob } | { status: 422; job: ImportJob; detail: string };

export function toJob(row: ImportRow, now = Date.now()): ImportJob {
  const active = row.status !== "completed" && row.status !== "failed";
  const stale = active && now - row.updatedAt.getTime() > STALE_MS;
  return {
    id: row.id,
    status: stale ? "failed" : row.status,
    format: row.format,
    dryRun: row.dryRun,
    skipInvalid: row.skipInvalid,
    counts: { rows: row.rowsRead, valid: row.rowsValid, invalid: row.rowsInvalid, products: row.productsRead, created: row.created, updated: row.updated, errors: row.errorCount },
    errors: row.errors,
    bytes: row.bytes,
    message: stale ? "The import stopped before it finished (the service restarted or the upload broke off); nothing of it was imported." : row.message,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}

/** The body's bytes, refused past `maxBytes` (a 413, whatever Content-Length said). */
async function* limited(body: ReadableStream<Uint8Array> | null, maxBytes: number, progress: ProgressWriter): AsyncGenerator<Uint8Array> {
  if (!body) return;
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      progress.bytes += value.byteLength;
      if (progress.bytes > maxBytes) throw new AppError("payload_too_large", `Import files are limited to ${maxBytes} bytes; split the file.`);
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

async function* text(bytes: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder("utf-8");
  for await (const chunk of bytes) yield decoder.decode(chunk, { stream: true });
  const last = decoder.decode();
  if (last) yield last;
}

function reader(format: ImportFormat, bytes: AsyncIterable<Uint8Array>, opts: Parameters<typeof readCsv>[1]): AsyncGenerator<ReadItem> {
  if (format === "csv") return readCsv(Readable.from(bytes, { objectMode: false }), opts);
  return format === "json" ? readJsonArray(text(bytes)) : readNdjson(text(bytes));
}

/**
 * Run one import: read and check every row while the body streams in (progress stored as it
 * goes), then, unless something is wrong (or `skipInvalid`), write every product in ONE transaction,
 * batch by batch, with an event per product and one `catalog.import.completed`. A file with errors
 * changes nothing; neither does a failure half-way through the writes.
 */
export async function runImport(deps: ImportDeps, tenantId: string, body: ReadableStream<Uint8Array> | null, opts: ImportOptions): Promise<ImportOutcome> {
  const { tenancy } = deps;
  const id = createId("import");
  await tenancy.withTenant(tenantId, (tx) =>
    insertImport(tx, { id, status: "validating", format: opts.format, dryRun: opts.dryRun, skipInvalid: opts.skipInvalid, createdBy: opts.createdBy ?? null }),
  );
  const report = new Report();
  const progress = new ProgressWriter(
    report,
    (p) => tenancy.withTenant(tenantId, (tx) => updateImport(tx, id, p)),
    (err) => deps.logger.warn({ err, importId: id }, "import progress not stored"),
    deps.progress,
  );
  const finish = async (status: "completed" | "failed", message: string | null) => {
    await progress.stop();
    await tenancy.withTenant(tenantId, (tx) => updateImport(tx, id, { ...report.snapshot(), errors: report.sorted(), bytes: progress.bytes, status, message }, true));
    return toJob((await tenancy.withTenant(tenantId, (tx) => findImport(tx, id)))!);
  };

  const accepted: ValidProduct[] = [];
  try {
    const refs = await tenancy.withTenant(tenantId, loadRefs);
    const validator = new Validator(refs, { defaultCurrency: opts.currency });
    const attributeTypes = new Map([...refs.attributes.values()].map((a) => [a.code, a.type]));
    let pending: ValidProduct[] = [];
    const settle = async () => {
      const storeErrors = await tenancy.withTenant(tenantId, (tx) => checkAgainstStore(tx, pending));
      for (const p of pending) {
        const errors = storeErrors.get(p);
        if (errors) {
          report.add(errors);
          report.rowsInvalid += p.rows;
        } else {
          accepted.push(p);
          report.rowsValid += p.rows;
          if (opts.dryRun) report[p.exists ? "updated" : "created"]++;
        }
      }
      pending = [];
    };
    try {
      for await (const item of reader(opts.format, limited(body, opts.maxBytes, progress), { attributeTypes, defaultCurrency: opts.currency })) {
        if (item.kind === "error") {
          report.add([item.error]);
          report.rowsRead += item.rows;
          report.rowsInvalid += item.rows;
        } else {
          const c = item.candidate;
          report.rowsRead += c.rows;
          report.productsRead++;
          const checked = validator.check(c);
          if (checked.ok) pending.push(checked.valid);
          else {
            report.add(checked.errors);
            report.rowsInvalid += c.rows;
          }
          if (pending.length >= BATCH) await settle();
        }
        await progress.tick();
      }
      await settle();
    } catch (err) {
      if (!(err instanceof UnreadableFile)) throw err;
      report.add([err.error]);
      const job = await finish("failed", `The file cannot be read past row ${err.error.row}: ${err.error.message}`);
      return { status: 422, job, detail: `The file cannot be read past row ${err.error.row}; nothing was imported.` };
    }
    if (report.errorCount > 0 && !opts.skipInvalid) {
      const detail = `${report.errorCount} error(s) in ${report.rowsInvalid} row(s); nothing was imported. Fix them, or import with skipInvalid=true to import the valid products only.`;
      return { status: 422, job: await finish("failed", detail), detail };
    }
    if (opts.dryRun) return { status: 200, job: await finish("completed", null) };
  } catch (err) {
    await finish("failed", err instanceof AppError ? (err.detail ?? err.message) : "The import failed on our side; nothing was imported.").catch(() => undefined);
    throw err;
  }

  try {
    let queued = false;
    for (;;) {
      const done = await tenancy.withTenant(tenantId, async (tx) => {
        if (!(await tryLockImports(tx))) return false;
        // Progress goes out without waiting: the import never stalls on the pool while it holds
        // a connection, and a late write cannot undo "completed" (updateImport skips finished jobs).
        void progress.flush({ status: "importing" });
        for (let i = 0; i < accepted.length; i += BATCH) {
          const written = await writeBatch(tx, tenantId, accepted.slice(i, i + BATCH));
          report.created += written.created;
          report.updated += written.updated;
          void progress.flush();
          await deps.afterBatch?.(report.created + report.updated);
        }
        await enqueue(tx, CatalogEvents.importCompleted, { tenantId, aggregateId: id, data: { importId: id, created: report.created, updated: report.updated } });
        // The job turns "completed" in the same commit as the products.
        progress.halt();
        await updateImport(tx, id, { ...report.snapshot(), errors: report.sorted(), bytes: progress.bytes, status: "completed" }, true);
        return true;
      });
      if (done) break;
      if (!queued) {
        queued = true;
        await progress.flush({ status: "queued" });
      }
      await new Promise((r) => setTimeout(r, QUEUE_POLL_MS));
    }
    await progress.stop();
  } catch (err) {
    report.created = 0;
    report.updated = 0;
    await finish("failed", err instanceof AppError ? (err.detail ?? err.message) : "The import failed while writing; nothing was imported.").catch(() => undefined);
    throw err;
  }
  return { status: 201, job: toJob((await tenancy.withTenant(tenantId, (tx) => findImport(tx, id)))!) };
}
