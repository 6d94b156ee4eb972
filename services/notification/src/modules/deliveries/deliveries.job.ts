import { and, eq, sql } from "drizzle-orm";
import { NotificationChannel } from "@bazaar/contracts";
import type { Placement } from "@bazaar/service-kit/tenancy";
import { deliveries, pushSubscriptions } from "../../db/schema/index.ts";
import { DeliveryError, type OutgoingMessage } from "../channels/channel.ts";
import type { TransportRegistry } from "../channels/registry.ts";
import { EventExpander, type ExpanderOptions } from "../intake/intake.expand.ts";
import type { ResolvedSettings } from "../settings/settings.service.ts";
import * as repo from "./deliveries.repo.ts";
import { backoffMs } from "./deliveries.retry.ts";

export { backoffMs, DEFAULT_RETRY, type RetryPolicy } from "./deliveries.retry.ts";

/** What the expander needs, plus the transports, the polling interval and retention. */
export interface JobOptions extends ExpanderOptions {
  transports: TransportRegistry;
  /** How often to look for work (0 = only when kicked; tests call `tick()`). */
  intervalMs: number;
  /** Days kept: the delivery log (and its tries), the dev mailbox, handled events. */
  retentionDays: { deliveries: number; mailbox: number; events: number };
}

/**
 * The background job: turns recorded events into messages (reading the order when needed) and sends
 * due messages, each under a lease so several instances never send one twice. A failure is retried
 * with exponential backoff and dead-lettered after `maxAttempts`; a permanent refusal is `bounced`.
 */
export class NotificationJob {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private again = false;
  private stopped = true;
  private lastPrune = 0;

  private readonly expander: EventExpander;

  constructor(private readonly o: JobOptions) {
    this.expander = new EventExpander(o);
  }

  start(): void {
    this.stopped = false;
    this.kick();
    if (this.o.intervalMs > 0) {
      this.timer = setInterval(() => this.kick(), this.o.intervalMs);
      this.timer.unref();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Look for work now (coalesced with a pass already running). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    void this.tick().catch((err: unknown) => this.o.logger.error({ err }, "notification job failed"));
  }

  /** Passes until no work is left; answers how many events and messages it handled. */
  tick(): Promise<number> {
    this.running ??= (async () => {
      let total = 0;
      try {
        do {
          this.again = false;
          const n = await this.pass();
          total += n;
          if (n > 0) this.again = true;
        } while (this.again && !this.stopped);
      } finally {
        this.running = undefined;
      }
      return total;
    })();
    return this.running;
  }

  private async pass(): Promise<number> {
    let n = 0;
    const prune = Date.now() - this.lastPrune > 10 * 60_000;
    if (prune) this.lastPrune = Date.now();
    for (const t of await this.o.tenancy.tenants()) {
      if (t.status !== "ready") continue;
      try {
        if (prune) await this.pruneStore(t);
        if (!(await this.hasWork(t))) continue;
        n += await this.expander.run(t);
        n += await this.dispatch(t);
      } catch (err) {
        this.o.logger.warn({ err, tenantId: t.tenantId }, "notification pass failed for a store; will try again");
      }
    }
    return n;
  }

  /** Prune every store now (the job does it every 10 minutes). */
  async prune(): Promise<void> {
    for (const t of await this.o.tenancy.tenants()) if (t.status === "ready") await this.pruneStore(t);
  }

  /** Old log rows go: deliveries (with their tries) and mailbox messages, and events already handled. */
  private async pruneStore(t: Placement): Promise<void> {
    const r = this.o.retentionDays;
    const ago = (days: number) => new Date(this.o.clock().getTime() - days * 86_400_000).toISOString();
    await this.o.tenancy.withTenant(t.tenantId, async (tx) => {
      await tx.execute(sql`delete from delivery_attempts where delivery_id in (select id from deliveries where created_at < ${ago(r.deliveries)}::timestamptz and status in ('sent', 'bounced', 'dead'))`);
      await tx.execute(sql`delete from deliveries where created_at < ${ago(r.deliveries)}::timestamptz and status in ('sent', 'bounced', 'dead')`);
      await tx.execute(sql`delete from mailbox where created_at < ${ago(r.mailbox)}::timestamptz`);
      await tx.execute(sql`delete from inbound_events where created_at < ${ago(r.events)}::timestamptz and status in ('expanded', 'dead')`);
    });
  }

  /** One round trip, no transaction: is anything due in this store? Most stores are idle most of the time. */
  private async hasWork(t: Placement): Promise<boolean> {
    const now = this.o.clock().toISOString();
    const [row] = await this.o.tenancy.read<{ due: boolean }>(
      t.tenantId,
      (table) => sql`select exists(select 1 from ${table("inbound_events")} where status = 'pending' and next_attempt_at <= ${now}::timestamptz)
        or exists(select 1 from ${table("deliveries")} where status in ('queued', 'failed') and next_attempt_at <= ${now}::timestamptz) as due`,
    );
    return row?.due === true;
  }

  private async dispatch(t: Placement): Promise<number> {
    const { tenancy, clock } = this.o;
    const now = clock();
    const lease = new Date(now.getTime() + this.o.leaseMs);
    const s = await tenancy.withTenant(t.tenantId, (tx) => this.o.settings.resolved(tx, t.tenantId));
    const rows = await tenancy.withTenant(t.tenantId, async (tx) => {
      const out = await repo.claimDue(tx, now, lease, this.o.batchSize, eq(deliveries.source, "event"));
      for (const channel of NotificationChannel.options) {
        // Campaigns go out at most `throttle[channel]` a minute; transactional messages are never held back.
        const budget = Math.min(this.o.batchSize, s.throttle[channel] - (await repo.sentLastMinute(tx, channel, now)));
        out.push(...(await repo.claimDue(tx, now, lease, budget, and(eq(deliveries.source, "campaign"), eq(deliveries.channel, channel)))));
      }
      return out;
    });
    for (let i = 0; i < rows.length; i += 8) await Promise.all(rows.slice(i, i + 8).map((r) => this.deliver(t, r, s)));
    return rows.length;
  }

  private async deliver(t: Placement, row: repo.DeliveryRow, s: ResolvedSettings): Promise<void> {
    const { tenancy, clock } = this.o;
    const started = performance.now();
    let provider = "none";
    let outcome: { status: "sent" | "failed" | "bounced" | "dead"; error: string | null; ref: string | null; nextAttemptAt: Date | null };
    try {
      const { "reply-to": replyTo, ...headers } = (row.headers ?? {}) as Record<string, string>;
      const msg: OutgoingMessage = {
        deliveryId: row.id,
        tenantId: t.tenantId,
        channel: row.channel,
        to: row.recipient,
        from: row.sender,
        subject: row.subject,
        html: row.html,
        text: row.text,
        ...(replyTo ? { replyTo } : {}),
        ...(Object.keys(headers).length ? { headers } : {}),
      };
      if (row.channel === "push") {
        const push = await tenancy.withTenant(t.tenantId, async (tx) => {
          const [sub] = await tx.select().from(pushSubscriptions).where(eq(pushSubscriptions.id, row.recipient));
          return sub ? { sub, vapid: await this.o.settings.vapid(tx, t.tenantId) } : undefined;
        });
        if (!push) throw new DeliveryError("push: the subscription was removed", true);
        msg.push = {
          subscription: { endpoint: push.sub.endpoint, keys: { p256dh: push.sub.p256dh, auth: push.sub.auth } },
          vapid: { subject: `mailto:${s.sender.email ?? this.o.defaultFrom}`, ...push.vapid },
          payload: JSON.stringify(row.data ?? { title: row.subject, body: row.text }),
        };
      }
      const transport = this.o.transports.for(row.channel, s);
      provider = transport.provider;
      const res = await transport.send(msg);
      outcome = { status: "sent", error: null, ref: res.ref ?? null, nextAttemptAt: null };
    } catch (err) {
      const message = String((err as Error).message ?? err).slice(0, 500);
      const attempts = row.attempts + 1;
      if (err instanceof DeliveryError && err.permanent) {
        outcome = { status: "bounced", error: message, ref: null, nextAttemptAt: null };
        // A push service saying the subscription is gone (404/410): forget the browser.
        if (row.channel === "push" && /webpush (404|410)/.test(message)) {
          await tenancy.withTenant(t.tenantId, (tx) => tx.delete(pushSubscriptions).where(eq(pushSubscriptions.id, row.recipient)));
        }
      } else if (attempts >= this.o.retry.maxAttempts) {
        outcome = { status: "dead", error: message, ref: null, nextAttemptAt: null };
        this.o.logger.warn({ tenantId: t.tenantId, deliveryId: row.id, attempts, error: message }, "notification dead-lettered");
      } else {
        outcome = { status: "failed", error: message, ref: null, nextAttemptAt: new Date(clock().getTime() + backoffMs(this.o.retry, attempts)) };
      }
    }
    const durationMs = performance.now() - started;
    await tenancy.withTenant(t.tenantId, (tx) => repo.recordAttempt(tx, row, { ...outcome, provider, durationMs, at: clock() }));
  }
}
