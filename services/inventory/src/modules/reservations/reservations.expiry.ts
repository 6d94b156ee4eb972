import type { Logger } from "@bazaar/service-kit/logging";
import type { ReservationStore } from "./reservations.store.ts";

/**
 * Releases held reservations past their expiry every `intervalMs`. Each instance runs its own; the
 * store skips rows another instance is expiring (SKIP LOCKED), so several instances share the work.
 */
export class ExpiryJob {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(private readonly deps: { store: ReservationStore; intervalMs: number; logger: Logger }) {}

  start(): void {
    if (this.timer || this.deps.intervalMs <= 0) return;
    this.timer = setInterval(() => void this.tick(), this.deps.intervalMs);
    this.timer.unref();
  }

  /** One pass now (skipped when a pass is still running); answers how many reservations expired. */
  async tick(): Promise<number> {
    if (this.running) return 0;
    const run = this.deps.store.expire().catch((err: unknown) => {
      this.deps.logger.error({ err }, "inventory: expiry pass failed");
      return 0;
    });
    this.running = run;
    try {
      const n = await run;
      if (n > 0) this.deps.logger.info({ expired: n }, "inventory: reservations expired");
      return n;
    } finally {
      this.running = undefined;
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
