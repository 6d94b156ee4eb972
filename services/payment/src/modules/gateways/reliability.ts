import { GatewayError } from "./gateway.ts";

export interface RetryOptions {
  /** Attempts in all, the first included (default 3). */
  attempts: number;
  /** First backoff (default 100 ms); doubles each retry, capped at `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Per-attempt deadline (default 10 s): a provider that does not answer in time is a transient failure. */
  timeoutMs: number;
  /** Injected for tests. */
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export const DEFAULT_RETRY: RetryOptions = { attempts: 3, baseDelayMs: 100, maxDelayMs: 2_000, timeoutMs: 10_000 };

/** "Full jitter" exponential backoff (AWS architecture blog): uniform in [0, min(cap, base * 2^n)). */
export function backoffDelay(retry: number, opts: Pick<RetryOptions, "baseDelayMs" | "maxDelayMs">, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** retry));
}

export type BreakerState = "closed" | "open" | "half_open";

/**
 * A small circuit breaker: `threshold` consecutive transient failures open it for `cooldownMs`; then
 * one trial call is let through (half open): success closes it, failure opens it again. Declines
 * are answers, not failures, and never count. Chosen over opossum because it is a few lines with
 * an injectable clock (deterministic tests), and opossum's rolling-window timers and own timeout
 * would overlap with the retry loop's deadline.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt = 0;
  private trial = false;
  private _state: BreakerState = "closed";

  constructor(
    private readonly opts: { threshold: number; cooldownMs: number; now?: () => number } = { threshold: 5, cooldownMs: 30_000 },
  ) {}

  get state(): BreakerState {
    if (this._state === "open" && this.now() - this.openedAt >= this.opts.cooldownMs) this._state = "half_open";
    return this._state;
  }

  /** Whether a call may go out now. */
  allow(): boolean {
    const s = this.state;
    if (s === "closed") return true;
    if (s === "half_open" && !this.trial) {
      this.trial = true;
      return true;
    }
    return false;
  }

  success(): void {
    this.failures = 0;
    this.trial = false;
    this._state = "closed";
  }

  failure(): void {
    this.trial = false;
    this.failures += 1;
    if (this._state === "half_open" || this.failures >= this.opts.threshold) {
      this._state = "open";
      this.openedAt = this.now();
    }
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }
}

/** What one attempt did, for the payment_attempts log. */
export interface AttemptRecord {
  attempt: number;
  outcome: "ok" | "declined" | "transient" | "error" | "circuit_open";
  code: string | null;
  detail: string | null;
  durationMs: number;
}

async function withTimeout<T>(fn: () => Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new GatewayError("transient", "timeout", `No answer within ${ms} ms.`)), ms);
  });
  try {
    return await Promise.race([fn(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Errors that are not GatewayErrors (a thrown TypeError from fetch, a socket reset) are transient. */
export function asGatewayError(err: unknown): GatewayError {
  if (err instanceof GatewayError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new GatewayError("transient", "network_error", message);
}

/**
 * Call a provider through its breaker, retrying transient failures with backoff; the same
 * idempotency key rides along every retry (the caller's `fn` closes over it), so a retry after a
 * lost answer never charges twice. Every attempt is reported to `record`.
 */
export async function callProvider<T>(
  fn: () => Promise<T>,
  deps: { breaker: CircuitBreaker; retry: RetryOptions; record: (a: AttemptRecord) => void },
): Promise<T> {
  const sleep = deps.retry.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let last: GatewayError | undefined;
  for (let attempt = 1; attempt <= deps.retry.attempts; attempt++) {
    if (!deps.breaker.allow()) {
      deps.record({ attempt, outcome: "circuit_open", code: "circuit_open", detail: "The provider failed repeatedly; calls are paused.", durationMs: 0 });
      throw new GatewayError("transient", "circuit_open", "The payment provider is unavailable right now.");
    }
    const started = Date.now();
    try {
      const result = await withTimeout(fn, deps.retry.timeoutMs);
      deps.breaker.success();
      deps.record({ attempt, outcome: "ok", code: null, detail: null, durationMs: Date.now() - started });
      return result;
    } catch (err) {
      last = asGatewayError(err);
      const durationMs = Date.now() - started;
      if (last.kind === "permanent") {
        deps.record({ attempt, outcome: "error", code: last.code, detail: last.message, durationMs });
        throw last;
      }
      deps.breaker.failure();
      deps.record({ attempt, outcome: "transient", code: last.code, detail: last.message, durationMs });
      if (attempt < deps.retry.attempts) await sleep(backoffDelay(attempt - 1, deps.retry, deps.retry.random));
    }
  }
  throw last ?? new GatewayError("transient", "unknown", "The provider call failed.");
}
