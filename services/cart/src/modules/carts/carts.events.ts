import { sql } from "drizzle-orm";
import { CartEvents } from "@bazaar/contracts";
import { enqueueMany } from "@bazaar/service-kit/events";
import type { Logger } from "@bazaar/service-kit/logging";
import type { Tenancy } from "@bazaar/service-kit/tenancy";
import type { CartStore } from "./carts.store.ts";

export interface StagedEvent {
  seq: number;
  kind: "added" | "removed";
  sku: string;
  productId: string | null;
  quantity: number;
  cartId: string;
  at: number;
  shopperId: string | null;
}

/** One staged line: seq, kind, sku, product, units, cart, time (ms), owner (last: it may hold tabs). */
export function parseStaged(line: string): StagedEvent | undefined {
  const parts = line.split("\t");
  if (parts.length < 8) return undefined;
  const [seq, kind, sku, productId, quantity, cartId, at] = parts as [string, string, string, string, string, string, string];
  if (kind !== "added" && kind !== "removed") return undefined;
  const owner = parts.slice(7).join("\t");
  const none = (v: string) => (v === "" || v === "~" ? null : v);
  return { seq: Number(seq), kind, sku, productId: none(productId), quantity: Number(quantity), cartId, at: Number(at), shopperId: owner.startsWith("u:") ? owner.slice(2) : null };
}

/**
 * Moves behaviour events from Redis into the outbox. A cart change stages its events in the same
 * atomic script as the change (nothing is lost between Redis and Postgres); this drain copies a
 * batch into `public.bazaar_outbox` in one tenant transaction that also advances the store's
 * cursor (`cart_event_cursor`: epoch + last sequence), then drops what was copied from Redis. A
 * drain that dies between the commit and the trim is harmless: the next one skips what the
 * cursor says is done, so each event is enqueued exactly once.
 */
export class EventDrain {
  private readonly dirty = new Set<string>();
  private readonly running = new Map<string, Promise<number>>();
  private timer: NodeJS.Timeout | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly deps: { store: CartStore; tenancy: Tenancy; logger: Logger; intervalMs?: number; sweepMs?: number; batch?: number },
  ) {}

  /** A change staged events for this store. */
  touch(tenantId: string): void {
    this.dirty.add(tenantId);
  }

  /** Copy everything staged for a store into the outbox; returns how many events were enqueued. */
  drain(tenantId: string): Promise<number> {
    const current = this.running.get(tenantId);
    if (current) return current.then(() => this.drain(tenantId));
    const p = this.drainAll(tenantId).finally(() => this.running.delete(tenantId));
    this.running.set(tenantId, p);
    return p;
  }

  private async drainAll(tenantId: string): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.drainBatch(tenantId);
      if (n < 0) return total;
      total += n;
    }
  }

  /** One batch; -1 when nothing was staged. */
  private async drainBatch(tenantId: string): Promise<number> {
    const { store, tenancy } = this.deps;
    const { epoch, lines } = await store.stagedEvents(tenantId, this.deps.batch ?? 500);
    const staged = lines.map(parseStaged).filter((e): e is StagedEvent => e !== undefined);
    if (lines.length === 0) return -1;
    const maxSeq = staged.reduce((m, e) => Math.max(m, e.seq), 0);
    const era = epoch ?? "none";
    const enqueued = await tenancy.withTenant(tenantId, async (tx) => {
      await tx.execute(sql`insert into cart_event_cursor (id, epoch, last_seq) values (1, ${era}, 0) on conflict (id) do nothing`);
      const [row] = [...(await tx.execute<{ epoch: string; last_seq: string | number }>(sql`select epoch, last_seq from cart_event_cursor where id = 1 for update`))];
      const last = row && row.epoch === era ? Number(row.last_seq) : 0;
      const fresh = staged.filter((e) => e.seq > last);
      // Runs of one kind keep the events' order with one statement per run.
      for (let i = 0; i < fresh.length; ) {
        let j = i;
        while (j < fresh.length && fresh[j]!.kind === fresh[i]!.kind) j++;
        const run = fresh.slice(i, j);
        await enqueueMany(
          tx,
          fresh[i]!.kind === "added" ? CartEvents.itemAdded : CartEvents.itemRemoved,
          run.map((e) => ({
            tenantId,
            aggregateId: e.cartId,
            occurredAt: new Date(e.at),
            data: { cartId: e.cartId, sku: e.sku, productId: e.productId, quantity: e.quantity, shopperId: e.shopperId, at: new Date(e.at).toISOString() },
          })),
        );
        i = j;
      }
      await tx.execute(sql`update cart_event_cursor set epoch = ${era}, last_seq = ${Math.max(last, maxSeq)}, updated_at = now() where id = 1`);
      return fresh.length;
    });
    // Unparseable lines (never written by this code) would stop the trim: then stop here too.
    const trimmed = await store.trimEvents(tenantId, maxSeq);
    return trimmed > 0 ? enqueued : -1;
  }

  /** Drain the stores changed since the last tick. */
  async tick(): Promise<void> {
    const tenants = [...this.dirty];
    this.dirty.clear();
    await Promise.all(
      tenants.map((t) =>
        this.drain(t).catch((err: unknown) => {
          this.dirty.add(t);
          this.deps.logger.warn({ err, tenantId: t }, "cart events: drain failed; retrying");
        }),
      ),
    );
  }

  /** Every store: events another (stopped) instance staged and never drained. */
  async sweep(): Promise<void> {
    for (const t of await this.deps.tenancy.tenants()) if (t.status === "ready") this.dirty.add(t.tenantId);
    await this.tick();
  }

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.deps.intervalMs ?? 200);
    this.sweepTimer = setInterval(() => void this.sweep().catch(() => undefined), this.deps.sweepMs ?? 60_000);
    this.timer.unref();
    this.sweepTimer.unref();
    void this.sweep().catch((err: unknown) => this.deps.logger.warn({ err }, "cart events: first sweep failed"));
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    clearInterval(this.sweepTimer);
    await this.tick().catch(() => undefined);
    await Promise.all(this.running.values());
  }
}
