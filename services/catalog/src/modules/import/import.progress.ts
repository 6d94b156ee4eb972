import type { ImportProgress } from "./import.repo.ts";
import type { RowError } from "./import.types.ts";

/** How many errors a job keeps; it counts them all. */
export const REPORT_CAP = 1000;

/** Counts and the capped error report of a running import. */
export class Report {
  rowsRead = 0;
  rowsValid = 0;
  rowsInvalid = 0;
  productsRead = 0;
  created = 0;
  updated = 0;
  errorCount = 0;
  readonly errors: RowError[] = [];
  private errorsChanged = false;

  add(errors: RowError[]): void {
    this.errorCount += errors.length;
    for (const e of errors) {
      if (this.errors.length >= REPORT_CAP) break;
      this.errors.push(e);
      this.errorsChanged = true;
    }
  }

  /** The report in file order (checks against the store report a batch late). */
  sorted(): RowError[] {
    return [...this.errors].sort((a, b) => a.row - b.row);
  }

  /** What to store: the counts, and the report when it changed since the last call. */
  snapshot(): ImportProgress {
    const out: ImportProgress = {
      rowsRead: this.rowsRead,
      rowsValid: this.rowsValid,
      rowsInvalid: this.rowsInvalid,
      productsRead: this.productsRead,
      created: this.created,
      updated: this.updated,
      errorCount: this.errorCount,
      ...(this.errorsChanged ? { errors: this.sorted() } : {}),
    };
    this.errorsChanged = false;
    return out;
  }
}

/**
 * Writes a job's progress from short transactions of its own: at most every `everyMs` while rows
 * arrive, and at least every `heartbeatMs` (a job whose row stops moving was cut off). Writes never
 * overlap and a failed write is only logged: progress is for watching, the import does not wait on it.
 */
export class ProgressWriter {
  private last = 0;
  private chain: Promise<void> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;
  bytes = 0;

  constructor(
    private readonly report: Report,
    private readonly write: (p: ImportProgress) => Promise<void>,
    private readonly onError: (err: unknown) => void,
    private readonly opts: { everyMs?: number; heartbeatMs?: number } = {},
  ) {
    this.timer = setInterval(() => void this.flush(), opts.heartbeatMs ?? 30_000);
    this.timer.unref();
  }

  /** Flush if the last write is older than `everyMs`. */
  async tick(): Promise<void> {
    if (Date.now() - this.last >= (this.opts.everyMs ?? 250)) await this.flush();
  }

  flush(extra: ImportProgress = {}): Promise<void> {
    this.last = Date.now();
    this.chain = this.chain.then(() => this.write({ ...this.report.snapshot(), bytes: this.bytes, ...extra }).catch(this.onError));
    return this.chain;
  }

  /** Stop the heartbeat (writes already asked for still run). */
  halt(): void {
    clearInterval(this.timer);
  }

  /** Stop the heartbeat and wait for the writes in flight. */
  async stop(): Promise<void> {
    this.halt();
    await this.chain;
  }
}
