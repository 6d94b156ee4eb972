import { sql } from "drizzle-orm";
import { InventoryEvents, type Reservation, type ReservationStatus } from "@bazaar/contracts";
import type { Tx } from "@bazaar/service-kit/db";
import { AppError } from "@bazaar/service-kit/errors";
import { enqueue, outboxInsert } from "@bazaar/service-kit/events";
import type { Logger } from "@bazaar/service-kit/logging";
import type { Tenancy } from "@bazaar/service-kit/tenancy";
import { enqueueLowStock, thresholdsOf, type ThresholdRow } from "../stock/stock.low.ts";
import { compareLines, normaliseLines, shortLineErrors, type NormalLine, type ReservationStore, type ReserveInput } from "./reservations.store.ts";

type Row = { order_id: string; status: ReservationStatus; expires_at: Date | string; created_at: Date | string; updated_at: Date | string };
type LineRow = { sku: string; location: string; quantity: number };
const iso = (d: Date | string) => (d instanceof Date ? d : new Date(d)).toISOString();

async function read(tx: Tx, orderId: string, lock = false): Promise<Reservation | undefined> {
  const rows = await tx.execute<Row>(sql`select * from reservations where order_id = ${orderId} ${lock ? sql`for update` : sql``}`);
  const r = rows[0];
  if (!r) return undefined;
  const lines = await tx.execute<LineRow>(sql`select sku, location, quantity from reservation_lines where order_id = ${orderId}`);
  return {
    orderId: r.order_id,
    status: r.status,
    lines: [...lines].map((l) => ({ sku: l.sku, location: l.location, quantity: l.quantity })).sort(compareLines),
    expiresAt: iso(r.expires_at),
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

/** The reservation with its lines, row locked, in one statement. */
async function readLocked(tx: Tx, orderId: string): Promise<Reservation | undefined> {
  const rows = await tx.execute<Row & { sku: string | null; location: string | null; quantity: number | null }>(sql`
    select r.*, rl.sku, rl.location, rl.quantity
    from reservations r left join reservation_lines rl on rl.order_id = r.order_id
    where r.order_id = ${orderId} for update of r`);
  const r = rows[0];
  if (!r) return undefined;
  return {
    orderId: r.order_id,
    status: r.status,
    lines: [...rows].filter((l) => l.sku !== null).map((l) => ({ sku: l.sku!, location: l.location!, quantity: l.quantity! })).sort(compareLines),
    expiresAt: iso(r.expires_at),
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

/** Give reserved units back (release or expiry), one statement per (sku, location) in the fixed order. */
async function unreserve(tx: Tx, lines: LineRow[]): Promise<void> {
  for (const l of [...lines].sort(compareLines)) {
    await tx.execute(sql`update stock_levels set reserved = reserved - ${l.quantity}, updated_at = now() where sku = ${l.sku} and location = ${l.location}`);
  }
}

/** Reservations in the tenant's Postgres schema, next to the levels they hold. */
export class PostgresReservations implements ReservationStore {
  constructor(private readonly deps: { tenancy: Tenancy; clock: () => Date; logger?: Logger }) {}

  /**
   * Reserve every line or none, in one transaction of four statements whatever the number of lines:
   * the reservation row (the order id is the idempotency key: a concurrent duplicate waits on it),
   * then one conditional update per line, sent together and run by the server in the fixed order,
   * then the lines, the event and the low-stock check as one statement.
   */
  reserve(tenantId: string, input: ReserveInput): Promise<{ reservation: Reservation; created: boolean }> {
    const lines = normaliseLines(input.lines);
    const now = this.deps.clock();
    const expiresAt = new Date(now.getTime() + input.ttlSeconds * 1000).toISOString();
    return this.deps.tenancy.withTenant(tenantId, async (tx) => {
      const inserted = await tx.execute(sql`
        insert into reservations (order_id, status, expires_at, created_at, updated_at)
        values (${input.orderId}, 'held', ${expiresAt}::timestamptz, ${now.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz)
        on conflict (order_id) do nothing returning order_id`);
      if (inserted.length === 0) return { reservation: (await read(tx, input.orderId))!, created: false };
      const updated = await Promise.all(
        lines.map((l) =>
          tx.execute(sql`
            update stock_levels set reserved = reserved + ${l.quantity}, updated_at = now()
            where sku = ${l.sku} and location = ${l.location} and on_hand - reserved >= ${l.quantity}
            returning sku`),
        ),
      );
      const short = lines.filter((_, i) => updated[i]!.length === 0);
      if (short.length > 0) {
        const avail = await tx.execute<{ sku: string; location: string; available: number }>(sql`
          select sku, location, on_hand - reserved as available from stock_levels
          where sku = any(${sql.param(short.map((l) => l.sku))}::text[])`);
        const found = (l: NormalLine) => avail.find((a) => a.sku === l.sku && a.location === l.location)?.available ?? 0;
        // Thrown inside the transaction: every line reserved so far and the reservation row roll back.
        throw new AppError("out_of_stock", `Not enough stock for: ${short.map((l) => l.sku).join(", ")}.`, shortLineErrors(short.map((l) => ({ ...l, available: found(l) }))));
      }
      const data = lines.map(({ sku, location, quantity }) => ({ sku, location, quantity }));
      const dropped = new Map<string, number>();
      for (const l of lines) dropped.set(l.sku, (dropped.get(l.sku) ?? 0) + l.quantity);
      const event = outboxInsert(InventoryEvents.stockReserved, [{ tenantId, aggregateId: input.orderId, data: { orderId: input.orderId, lines: data, expiresAt } }]);
      const thresholds = await tx.execute<ThresholdRow>(sql`
        with rl as (
          insert into reservation_lines (order_id, sku, location, quantity)
          select ${input.orderId}, * from unnest(${sql.param(lines.map((l) => l.sku))}::text[], ${sql.param(lines.map((l) => l.location))}::text[], ${sql.param(lines.map((l) => l.quantity))}::int[])
        ), e as (${event.statement})
        ${thresholdsOf([...dropped.keys()])}`);
      await enqueueLowStock(tx, tenantId, thresholds, dropped);
      const at = now.toISOString();
      return { reservation: { orderId: input.orderId, status: "held", lines: data, expiresAt, createdAt: at, updatedAt: at }, created: true };
    });
  }

  /** Commit a held reservation (stock leaves: on hand and reserved drop): three statements, the stock updates in the fixed order. */
  commit(tenantId: string, orderId: string): Promise<Reservation> {
    return this.deps.tenancy.withTenant(tenantId, async (tx) => {
      const r = await readLocked(tx, orderId);
      if (!r) throw new AppError("not_found", `No reservation for order ${orderId}.`);
      if (r.status === "committed") return r;
      if (r.status !== "held") throw new AppError("conflict", `The reservation is ${r.status}; it cannot be committed.`);
      const event = outboxInsert(InventoryEvents.stockCommitted, [{ tenantId, aggregateId: orderId, data: { orderId, lines: r.lines } }]);
      const [, [done]] = await Promise.all([
        Promise.all(
          r.lines.map((l) =>
            tx.execute(sql`
              update stock_levels set on_hand = on_hand - ${l.quantity}, reserved = reserved - ${l.quantity}, updated_at = now()
              where sku = ${l.sku} and location = ${l.location}`),
          ),
        ),
        tx.execute<{ updated_at: Date | string }>(sql`
          with u as (update reservations set status = 'committed', updated_at = now() where order_id = ${orderId} returning updated_at), e as (${event.statement})
          select updated_at from u`),
      ]);
      return { ...r, status: "committed", updatedAt: iso(done!.updated_at) };
    });
  }

  release(tenantId: string, orderId: string): Promise<Reservation> {
    return this.deps.tenancy.withTenant(tenantId, async (tx) => {
      const r = await readLocked(tx, orderId);
      if (!r) throw new AppError("not_found", `No reservation for order ${orderId}.`);
      if (r.status === "released" || r.status === "expired") return r;
      if (r.status === "committed") throw new AppError("conflict", "The reservation is committed; the stock has left.");
      await unreserve(tx, r.lines);
      await tx.execute(sql`update reservations set status = 'released', updated_at = now() where order_id = ${orderId}`);
      await enqueue(tx, InventoryEvents.stockReleased, { tenantId, aggregateId: orderId, data: { orderId, lines: r.lines, reason: "released" } });
      return (await read(tx, orderId))!;
    });
  }

  get(tenantId: string, orderId: string): Promise<Reservation | undefined> {
    return this.deps.tenancy.withTenant(tenantId, (tx) => read(tx, orderId));
  }

  async expire(now: Date = this.deps.clock()): Promise<number> {
    let total = 0;
    for (const t of await this.deps.tenancy.tenants()) {
      if (t.status !== "ready") continue;
      try {
        total += await this.expireTenant(t.tenantId, now);
      } catch (err) {
        this.deps.logger?.error({ err, tenantId: t.tenantId }, "inventory: expiring reservations failed");
      }
    }
    return total;
  }

  /** One batch of a tenant's expired reservations; rows another instance holds are skipped, not waited for. */
  async expireTenant(tenantId: string, now: Date, batch = 200): Promise<number> {
    return this.deps.tenancy.withTenant(tenantId, async (tx) => {
      const due = await tx.execute<{ order_id: string }>(sql`
        select order_id from reservations where status = 'held' and expires_at <= ${now.toISOString()}::timestamptz
        order by expires_at limit ${batch} for update skip locked`);
      if (due.length === 0) return 0;
      const ids = due.map((d) => d.order_id);
      const lines = await tx.execute<LineRow & { order_id: string }>(sql`
        select order_id, sku, location, quantity from reservation_lines where order_id = any(${sql.param(ids)}::text[])`);
      // Summed per (sku, location) across the batch and applied in the fixed order, like every other writer.
      const sums = new Map<string, LineRow>();
      for (const l of lines) {
        const key = `${l.sku}\u0000${l.location}`;
        const s = sums.get(key);
        if (s) s.quantity += l.quantity;
        else sums.set(key, { sku: l.sku, location: l.location, quantity: l.quantity });
      }
      await unreserve(tx, [...sums.values()]);
      await tx.execute(sql`update reservations set status = 'expired', updated_at = now() where order_id = any(${sql.param(ids)}::text[])`);
      for (const id of ids) {
        const own = lines.filter((l) => l.order_id === id).map(({ sku, location, quantity }) => ({ sku, location, quantity })).sort(compareLines);
        await enqueue(tx, InventoryEvents.stockReleased, { tenantId, aggregateId: id, data: { orderId: id, lines: own, reason: "expired" } });
      }
      return ids.length;
    });
  }
}
