import { sql, type SQL } from "drizzle-orm";
import { OrderEvents, type OrderStatus } from "@bazaar/contracts";
import { fromDriverRow, setClause } from "@bazaar/service-kit/db";
import { AppError } from "@bazaar/service-kit/errors";
import { outboxInsert } from "@bazaar/service-kit/events";
import type { Tenancy } from "@bazaar/service-kit/tenancy";
import { orders } from "../../db/schema/index.ts";
import { assertTransition, canTransition, eventFor, TRANSITIONS } from "./orders.machine.ts";
import type * as repo from "./orders.repo.ts";

export interface MoveOptions {
  reason?: string | null;
  actor: string;
  set?: Partial<typeof orders.$inferInsert>;
  /** A further condition on the current row (`o`): nothing moves unless it holds. */
  guard?: SQL;
}

const STATUSES = Object.keys(TRANSITIONS) as OrderStatus[];

/**
 * The events reaching `to` emits, with the order's own fields patched in from the moved row `m` of
 * the same statement (the values given here only satisfy the schema).
 */
function eventsFor(tenantId: string, id: string, to: OrderStatus, reason: string | null) {
  const base = { orderId: id, number: "", status: to, total: 0, currency: "", email: "", ...(reason ? { reason } : {}) };
  const patch = { number: sql`m.number`, total: sql`m.total_amount`, currency: sql`m.currency`, email: sql`m.email` };
  const from = sql`m`;
  const out = [];
  const def = eventFor(to);
  if (def) out.push(outboxInsert(def, [{ tenantId, aggregateId: id, data: base }], { from, patch }).statement);
  if (to === "shipped") {
    out.push(outboxInsert(OrderEvents.shipped, [{ tenantId, aggregateId: id, data: { ...base, carrier: "", trackingNumber: "" } }], { from, patch: { ...patch, carrier: sql`coalesce(m.carrier, '')`, trackingNumber: sql`coalesce(m.tracking_number, '')` } }).statement);
  }
  if (to === "refunded" || to === "partially_refunded") {
    out.push(outboxInsert(OrderEvents.refunded, [{ tenantId, aggregateId: id, data: { ...base, refundedAmount: 0 } }], { from, patch: { ...patch, refundedAmount: sql`m.refunded_amount` } }).statement);
  }
  return out;
}

/**
 * One guarded transition in one statement (one round trip, atomic on its own): the row is locked,
 * moved only from a status that may reach `to` and only if nobody moved it meanwhile, the step is
 * logged and its events are written to the outbox. When nothing moved, the order is read again to
 * answer 404 (no such order) or 409 (an illegal step, or a concurrent change).
 */
export async function transition(tenancy: Tenancy, tenantId: string, id: string, to: OrderStatus, opts: MoveOptions): Promise<repo.OrderRow> {
  const froms = STATUSES.filter((from) => canTransition(from, to));
  const reason = opts.reason ?? null;
  const set = setClause(orders, { reason, ...opts.set, status: to, updatedAt: new Date() });
  const events = eventsFor(tenantId, id, to, reason);
  const rows = await tenancy.statement(
    tenantId,
    (t) => sql`
      with prev as (
        select id, status from ${t("orders")} where id = ${id} for update
      ), m as (
        update ${t("orders")} o set ${set} from prev
        where o.id = prev.id and o.status = prev.status and prev.status = any(${sql.param(froms)}::text[])${opts.guard ? sql` and (${opts.guard})` : sql``}
        returning o.*, prev.status as from_status
      ), log as (
        insert into ${t("order_transitions")} (order_id, from_status, to_status, reason, actor)
        select id, from_status, ${to}, ${reason}, ${opts.actor} from m
      )${sql.join(events.map((e, i) => sql`, e${sql.raw(String(i))} as (${e})`), sql``)}
      select * from m`,
  );
  if (rows[0]) return fromDriverRow(orders, rows[0]);
  const [current] = await tenancy.statement<{ status: OrderStatus }>(tenantId, (t) => sql`select status from ${t("orders")} where id = ${id}`);
  if (!current) throw new AppError("not_found", "No such order in this store.");
  assertTransition(current.status, to);
  throw new AppError("conflict", "The order changed meanwhile; read it again.");
}
