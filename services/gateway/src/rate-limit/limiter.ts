import type { Redis } from "ioredis";

export type LimitScope = "ip" | "token" | "store";

export interface LimitRule {
  scope: LimitScope;
  /** Requests allowed per window; 0 turns the rule off. */
  limit: number;
  windowMs: number;
}

export type LimitVerdict = { ok: true } | { ok: false; scope: LimitScope; limit: number; retryAfterS: number };

/**
 * Fixed-window request counters in Redis (a real server, or the in-process emulation in the
 * embedded profile): one pipelined INCR per applicable scope per request, keys expiring with their
 * window, so several gateway instances share the counts.
 */
export class RateLimiter {
  constructor(
    private readonly redis: Pick<Redis, "pipeline">,
    private readonly rules: LimitRule[],
    private readonly now: () => number = Date.now,
  ) {}

  async check(subjects: Partial<Record<LimitScope, string>>): Promise<LimitVerdict> {
    const active = this.rules.filter((r) => r.limit > 0 && subjects[r.scope]);
    if (active.length === 0) return { ok: true };
    const now = this.now();
    const pipe = this.redis.pipeline();
    for (const r of active) {
      const key = `rl:${r.scope}:${subjects[r.scope]}:${Math.floor(now / r.windowMs)}`;
      pipe.incr(key);
      pipe.pexpire(key, r.windowMs * 2);
    }
    const results = (await pipe.exec()) ?? [];
    for (let i = 0; i < active.length; i++) {
      const rule = active[i]!;
      const [err, count] = results[i * 2] ?? [null, 0];
      if (err) throw err;
      if (Number(count) > rule.limit) {
        const windowEnd = (Math.floor(now / rule.windowMs) + 1) * rule.windowMs;
        return { ok: false, scope: rule.scope, limit: rule.limit, retryAfterS: Math.max(1, Math.ceil((windowEnd - now) / 1000)) };
      }
    }
    return { ok: true };
  }
}

/** The three per-minute rules from configuration (0 turns one off). */
export function perMinuteRules(perMin: { ip: number; token: number; store: number }): LimitRule[] {
  return [
    { scope: "ip", limit: perMin.ip, windowMs: 60_000 },
    { scope: "token", limit: perMin.token, windowMs: 60_000 },
    { scope: "store", limit: perMin.store, windowMs: 60_000 },
  ];
}
