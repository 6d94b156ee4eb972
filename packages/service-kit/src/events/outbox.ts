import { sql as dsql, type SQL } from "drizzle-orm";
import type { z } from "zod";
import type { EventDefinition, EventEnvelope } from "@bazaar/contracts";
import type { Database, Tx } from "../db/index.ts";
import { createId } from "../ids/index.ts";
import type { Logger } from "../logging/index.ts";
import { partitionKey, type BusMessage, type EventBus } from "./bus.ts";

export const OUTBOX_CHANNEL = "bazaar_outbox";
/** How long a relay that just published promises to keep polling (writers skip NOTIFY meanwhile), and how often it polls then. */
const DRAIN_LEASE_MS = 1_000;
const DRAIN_POLL_MS = 20;

type OutboxEvent<S extends z.ZodType> = { tenantId: string; aggregateId: string; data: z.input<S>; traceparent?: string; occurredAt?: Date };

/**
 * The outbox rows of some events of one type as one INSERT statement, not yet run: for a caller that
 * folds its state change and its events into one statement (a data-modifying CTE), so the change and
 * the events commit together in one round trip. The data is checked against the event's schema here.
 * A statement-level trigger on the outbox table wakes the relay (see SHARED_SQL), so every insert,
 * this one included, notifies on commit without a statement of its own.
 * @example const out = outboxInsert(OrderEvents.paid, [{ tenantId, aggregateId: id, data }]);
 *          await tenancy.statement(tenantId, (t) => sql`with moved as (update ...), e as (${out.statement}) select ...`)
 */
export function outboxInsert<S extends z.ZodType>(
  def: EventDefinition<string, S>,
  events: OutboxEvent<S>[],
  opts: {
    /** A CTE (or table expression) of the same statement: the events are written only if it yields a row. */
    from?: SQL;
    /** Fields of `data` filled in by SQL from `from`'s row (a value the statement itself allocates); one event only. */
    patch?: Record<string, SQL>;
  } = {},
): { envelopes: EventEnvelope<z.infer<S>>[]; statement: SQL } {
  const now = new Date();
  const envelopes = events.map((event): EventEnvelope<z.infer<S>> => ({
    id: createId("event"),
    type: def.type,
    version: def.version,
    tenantId: event.tenantId,
    aggregateId: event.aggregateId,
    occurredAt: (event.occurredAt ?? now).toISOString(),
    ...(event.traceparent ? { traceparent: event.traceparent } : {}),
    data: def.schema.parse(event.data) as z.infer<S>,
  }));
  const patch = Object.entries(opts.patch ?? {});
  if (patch.length && events.length !== 1) throw new Error("outboxInsert: patch needs exactly one event");
  if (events.length === 1) {
    const [e, env] = [events[0]!, envelopes[0]!];
    let envelope = dsql`${JSON.stringify(env)}::jsonb`;
    for (const [field, value] of patch) envelope = dsql`jsonb_set(${envelope}, ${`{data,${field}}`}::text[], to_jsonb(${value}))`;
    return {
      envelopes,
      statement: dsql`insert into public.bazaar_outbox (id, topic, key, tenant_id, type, envelope)
        select ${env.id}, ${def.topic}, ${partitionKey(e.tenantId, e.aggregateId)}, ${e.tenantId}, ${def.type}, ${envelope}
        ${opts.from ? dsql`from ${opts.from}` : dsql``}`,
    };
  }
  return {
    envelopes,
    statement: dsql`insert into public.bazaar_outbox (id, topic, key, tenant_id, type, envelope)
      select e.id, ${def.topic}, e.key, e.tenant_id, ${def.type}, e.envelope::jsonb
      from unnest(
        ${dsql.param(envelopes.map((e) => e.id))}::text[],
        ${dsql.param(events.map((e) => partitionKey(e.tenantId, e.aggregateId)))}::text[],
        ${dsql.param(events.map((e) => e.tenantId))}::text[],
        ${dsql.param(envelopes.map((e) => JSON.stringify(e)))}::text[]
      ) with ordinality as e(id, key, tenant_id, envelope, n)
      ${opts.from ? dsql`where exists (select 1 from ${opts.from})` : dsql``}
      order by e.n`,
  };
}

/**
 * Write an event into the outbox inside the caller's transaction: it is published only if the
 * transaction commits (CONVENTIONS.md #10).
 * @example await enqueue(tx, CatalogEvents.productCreated, { tenantId, aggregateId: id, data })
 */
export async function enqueue<S extends z.ZodType>(tx: Tx, def: EventDefinition<string, S>, event: OutboxEvent<S>): Promise<EventEnvelope<z.infer<S>>> {
  const { envelopes, statement } = outboxInsert(def, [event]);
  await tx.execute(statement);
  return envelopes[0]!;
}

/**
 * Write many events of one type into the outbox with one multi-row insert, inside the caller's
 * transaction (a bulk import's thousands of events cost one statement, not thousands). Events keep
 * their order in the outbox.
 * @example await enqueueMany(tx, CatalogEvents.productCreated, products.map((p) => ({ tenantId, aggregateId: p.id, data })))
 */
export async function enqueueMany<S extends z.ZodType>(tx: Tx, def: EventDefinition<string, S>, events: OutboxEvent<S>[]): Promise<EventEnvelope<z.infer<S>>[]> {
  if (events.length === 0) return [];
  const { envelopes, statement } = outboxInsert(def, events);
  await tx.execute(statement);
  return envelopes;
}

export interface RelayOptions {
  databases: () => Database[];
  bus: EventBus;
  logger?: Logger;
  batchSize?: number;
  pollMs?: number;
  /** How long a relay that published keeps polling every 20 ms while writers skip NOTIFY (default 1 s). */
  drainLeaseMs?: number;
  /** How long published outbox rows and inbox ids are kept (default 7 days). */
  retentionHours?: number;
  /** Fault injection for tests: runs after the bus accepted a batch, before it is marked sent. */
  afterPublish?: (batch: BusMessage[]) => void | Promise<void>;
}

/**
 * Publishes committed outbox rows. Rows are claimed with FOR UPDATE SKIP LOCKED, published, then
 * marked in the same transaction: a relay that dies in between leaves them pending, so they are
 * published again (at-least-once) and consumers' inboxes drop the repeat.
 */
export class OutboxRelay {
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private again = false;
  private stopped = true;
  private listeners: { unlisten: () => Promise<void> }[] = [];
  private current: Promise<void> = Promise.resolve();
  private drainingUntil = 0;
  private shortTimer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: RelayOptions) {}

  async start(): Promise<void> {
    this.stopped = false;
    for (const d of this.opts.databases()) {
      try {
        this.listeners.push(await d.sql.listen(OUTBOX_CHANNEL, () => this.kick()));
      } catch (err) {
        this.opts.logger?.warn({ err }, "outbox relay: LISTEN failed, polling only");
      }
    }
    let lastPrune = 0;
    const tick = () => {
      if (this.stopped) return;
      this.kick();
      if (Date.now() - lastPrune > 10 * 60_000) {
        lastPrune = Date.now();
        void this.prune().catch((err) => this.opts.logger?.warn({ err }, "outbox prune failed"));
      }
      this.timer = setTimeout(tick, this.opts.pollMs ?? 250);
      this.timer.unref();
    };
    tick();
  }

  /** Ask for a pass now (coalesced with one already running). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    this.current = (async () => {
      do {
        this.again = false;
        try {
          while ((await this.runOnce()) > 0 && !this.stopped) {
            /* drain the backlog */
          }
        } catch (err) {
          this.opts.logger?.error({ err }, "outbox relay pass failed; will retry");
        }
      } while (this.again && !this.stopped);
      this.running = false;
      // Within the draining lease writers do not notify: keep looking, briefly, until it has run out.
      if (!this.stopped && Date.now() < this.drainingUntil && !this.shortTimer) {
        this.shortTimer = setTimeout(() => {
          this.shortTimer = undefined;
          this.kick();
        }, DRAIN_POLL_MS);
        this.shortTimer.unref();
      }
    })();
  }

  /** One batch per database; returns how many events were published. */
  async runOnce(): Promise<number> {
    let total = 0;
    const lease = this.opts.drainLeaseMs ?? DRAIN_LEASE_MS;
    for (const d of this.opts.databases()) {
      total += await d.sql.begin(async (tx) => {
        const rows = await tx<{ seq: string; topic: string; key: string; envelope: EventEnvelope }[]>`
          select seq, topic, key, envelope from public.bazaar_outbox
          where published_at is null order by seq
          limit ${this.opts.batchSize ?? 200} for update skip locked`;
        if (rows.length === 0) return 0;
        const batch = rows.map((r) => ({ topic: r.topic, key: r.key, envelope: r.envelope }));
        await this.opts.bus.publish(batch);
        await this.opts.afterPublish?.(batch);
        // Marked sent, and the draining lease renewed when it runs low: writers skip NOTIFY meanwhile.
        await tx`
          with sent as (update public.bazaar_outbox set published_at = now() where seq in ${tx(rows.map((r) => r.seq))})
          update public.bazaar_outbox_relay set draining_until = clock_timestamp() + make_interval(secs => ${lease / 1000})
          where draining_until < clock_timestamp() + make_interval(secs => ${(lease * 0.8) / 1000})`;
        this.drainingUntil = Date.now() + lease + 200;
        return rows.length;
      });
    }
    return total;
  }

  /**
   * Delete published outbox rows and inbox ids older than the retention. Inbox ids must outlive any
   * redelivery, so the retention is days, far beyond a relay's retry window.
   */
  async prune(): Promise<void> {
    const hours = this.opts.retentionHours ?? 24 * 7;
    for (const d of this.opts.databases()) {
      await d.sql`delete from public.bazaar_outbox where published_at < now() - make_interval(hours => ${hours})`;
      await d.sql`delete from public.bazaar_inbox where handled_at < now() - make_interval(hours => ${hours})`;
    }
  }

  /** Pending (unpublished) events across databases: the relay's lag. */
  async pending(): Promise<number> {
    let n = 0;
    for (const d of this.opts.databases()) {
      const [row] = await d.sql<{ n: string }[]>`select count(*)::text as n from public.bazaar_outbox where published_at is null`;
      n += Number(row?.n ?? 0);
    }
    return n;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.shortTimer) clearTimeout(this.shortTimer);
    await this.current;
    await Promise.all(this.listeners.map((l) => l.unlisten().catch(() => {})));
    this.listeners = [];
  }
}
