import { sql } from "drizzle-orm";
import { InventoryEvents, type Reservation, type ReservationStatus } from "@bazaar/contracts";
import type { Tx } from "@bazaar/service-kit/db";
import { AppError } from "@bazaar/service-kit/errors";
import { enqueue } from "@bazaar/service-kit/events";
import type { Logger } from "@bazaar/service-kit/logging";
import type { Tenancy } from "@bazaar/service-kit/tenancy";
import { emitLowStock } from "../stock/stock.low.ts";
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

/** Give reserved units back (release or expiry), one statement per (sku, location) in the fixed order. */
async function unreserve(tx: Tx, lines: LineRow[]): Promise<void> {
  for (const l of [...lines].sort(compareLines)) {
    await tx.execute(sql`update stock_levels set reserved = reserved - ${l.quantity}, updated_at = now() where sku = ${l.sku} and location = ${l.location}`);
  }
}

/** Reservations in the tenant's Postgres schema, next to the levels they hold. */
export class PostgresReservations implements ReservationStore {
  constructor(private readonly deps: { tenancy: Tenancy; clock: () => Date; logger?: Logger }) {}

  reserve(tenantId: string, input: ReserveInput): Promise<{ reservation: Reservation; created: boolean }> {
    const lines = normaliseLines(input.lines);
    const now = this.deps.clock();
    const expiresAt = new Date(now.getTime() + input.ttlSeconds * 1000).toISOString();
    return this.deps.tenancy.withTenant(tenantId, async (tx) => {
      // The order id is the idempotency key: a concurrent duplicate waits here for the first to finish.
      const inserted = await tx.execute(sql`
        insert into reservations (order_id, status, expires_at, created_at, updated_at)
        values (${input.orderId}, 'held', ${expiresAt}::timestamptz, ${now.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz)
        on conflict (order_id) do nothing returning order_id`);
      if (inserted.length === 0) return { reservation: (await read(tx, input.orderId))!, created: false };
      const short: NormalLine[] = [];
      for (const l of lines) {
        const ok = await tx.execute(sql`
          update stock_levels set reserved = reserved + ${l.quantity}, updated_at = now()
          where sku = ${l.sku} and location = ${l.location} and on_hand - reserved >= ${l.quantity}
          returning sku`);
        if (ok.length === 0) short.push(l);
      }
      if (short.length > 0) {
        const avail = await tx.execute<{ sku: string; location: string; available: number }>(sql`
          select sku, location, on_hand - reserved as available from stock_levels
          where sku = any(${sql.param(short.map((l) => l.sku))}::text[])`);
        const found = (l: NormalLine) => avail.find((a) => a.sku === l.sku && a.location === l.location)?.available ?? 0;
        // Thrown inside the transaction: every line reserved so far and the reservation row roll back.
        throw new AppError("out_of_stock", `Not enough stock for: ${short.map((l) => l.sku).join(", ")}.`, shortLineErrors(short.map((l) => ({ ...l, available: found(l) }))));
      }
      await tx.execute(sql`
        insert into reservation_lines (order_id, sku, location, quantity)
        select ${input.orderId}, * from unnest(${sql.param(lines.map((l) => l.sku))}::text[], ${sql.param(lines.map((l) => l.location))}::text[], ${sql.param(lines.map((l) => l.quantity))}::int[])`);
      const data = lines.map(({ sku, location, quantity }) => ({ sku, location, quantity }));
      await enqueue(tx, InventoryEvents.stockReserved, { tenantId, aggregateId: input.orderId, data: { orderId: input.orderId, lines: data, expiresAt } });
      const dropped = new Map<string, number>();
      for (const l of lines) dropped.set(l.sku, (dropped.get(l.sku) ?? 0) + l.quantity);
      await emitLowStock(tx, tenantId, dropped);
      return { reservation: (await read(tx, input.orderId))!, created: true };
    });
  }

  commit(tenantId: string, orderId: string): Promise<Reservation> {
    return this.deps.tenancy.withTenant(tenantId, async (tx) => {
      const r = await read(tx, orderId, true);
      if (!r) throw new AppError("not_found", `No reservation for order ${orderId}.`);
      if (r.status === "committed") return r;
      if (r.status !== "held") throw new AppError("conflict", `The reservation is ${r.status}; it cannot be committed.`);
      for (const l of r.lines) {
        await tx.execute(sql`
          update stock_levels set on_hand = on_hand - ${l.quantity}, reserved = reserved - ${l.quantity}, updated_at = now()
          where sku = ${l.sku} and location = ${l.location}`);
      }
      await tx.execute(sql`update reservations set status = 'committed', updated_at = now() where order_id = ${orderId}`);
      await enqueue(tx, InventoryEvents.stockCommitted, { tenantId, aggregateId: orderId, data: { orderId, lines: r.lines } });
      return (await read(tx, orderId))!;
    });
  }

  release(tenantId: string, orderId: string): Promise<Reservation> {
    return this.deps.tenancy.withTenant(tenantId, async (tx) => {
      const r = await read(tx, orderId, true);
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
