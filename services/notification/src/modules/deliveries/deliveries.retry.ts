export interface RetryPolicy {
  /** Tries before a message is dead-lettered (status `dead`). */
  maxAttempts: number;
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 6, baseMs: 30_000, maxMs: 3_600_000 };

/** Wait before try `attempt + 1`: doubling from `baseMs`, capped at `maxMs`. */
export const backoffMs = (p: RetryPolicy, attempt: number) => Math.min(p.maxMs, p.baseMs * 2 ** Math.max(0, attempt - 1));
