import { and, asc, desc, eq, gte, inArray, isNull, lt, lte, or, sql, type SQL } from "drizzle-orm";
import type { Order, OrderDetail, OrderStatus, ShippingAddress } from "@bazaar/contracts";
import { fromDriverRow, insertLists, type Tx } from "@bazaar/service-kit/db";
import type { Tenancy } from "@bazaar/service-kit/tenancy";
import { orderLines, orders, orderSettings, orderTransitions } from "../../db/schema/index.ts";

export type OrderRow = typeof orders.$inferSelect;
export type LineRow = typeof orderLines.$inferSelect;

export function toOrder(r: OrderRow, lines: LineRow[]): Order {
  return {
    id: r.id,
    number: r.number,
    status: r.status as OrderStatus,
    currency: r.currency,
    subtotal: r.subtotal,
    shipping: r.shipping,
    tax: r.tax,
    total: r.totalAmount,
    refundedAmount: r.refundedAmount,
    email: r.email,
    shippingAddress: r.shippingAddress as ShippingAddress,
    lines: lines.map((l) => ({ sku: l.sku, productId: l.productId, name: l.name, unitPrice: l.unitPrice, quantity: l.quantity, lineTotal: l.lineTotal })),
    paymentId: r.paymentId,
    carrier: r.carrier,
    trackingNumber: r.trackingNumber,
    reason: r.reason,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

export async function byId(tx: Tx, id: string, lock = false): Promise<OrderRow | undefined> {
  const q = tx.select().from(orders).where(eq(orders.id, id));
  const [row] = lock ? await q.for("update") : await q;
  return row;
}

export async function byKey(tx: Tx, key: string): Promise<OrderRow | undefined> {
  const [row] = await tx.select().from(orders).where(eq(orders.idempotencyKey, key));
  return row;
}

export async function linesOf(tx: Tx, ids: string[]): Promise<Map<string, LineRow[]>> {
  const out = new Map<string, LineRow[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return out;
  const rows = await tx.select().from(orderLines).where(inArray(orderLines.orderId, ids)).orderBy(asc(orderLines.orderId), asc(orderLines.position));
  for (const r of rows) out.get(r.orderId)?.push(r);
  return out;
}

export async function detail(tx: Tx, row: OrderRow): Promise<OrderDetail> {
  const lines = (await linesOf(tx, [row.id])).get(row.id) ?? [];
  const history = await tx.select().from(orderTransitions).where(eq(orderTransitions.orderId, row.id)).orderBy(asc(orderTransitions.seq));
  return {
    ...toOrder(row, lines),
    history: history.map((h) => ({ from: h.fromStatus, to: h.toStatus as OrderStatus, reason: h.reason, actor: h.actor, at: h.at.toISOString() })),
  };
}

/** What checkout needs before it creates an order, in one statement: the order of this key (if any) and the store's settings. */
export async function checkoutContext(tenancy: Tenancy, tenantId: string, key: string | undefined): Promise<{ existing: boolean; settings: { flatShipping: number; taxRateBps: number } }> {
  const [row] = await tenancy.statement<{ existing: boolean; flat_shipping: string | number; tax_rate_bps: number }>(
    tenantId,
    (t) => sql`select ${key ? sql`exists (select 1 from ${t("orders")} where idempotency_key = ${key})` : sql`false`} as existing,
                 coalesce(s.flat_shipping, 0) as flat_shipping, coalesce(s.tax_rate_bps, 0) as tax_rate_bps
               from (select 1) one left join ${t("order_settings")} s on s.id = 1`,
  );
  return { existing: row!.existing, settings: { flatShipping: Number(row!.flat_shipping), taxRateBps: Number(row!.tax_rate_bps) } };
}

/**
 * Create an order in one statement (one round trip): the next order number from the store's
 * sequence (no row lock, so concurrent checkouts do not queue on it), the order, its lines, the
 * first log row and the events `events` builds (the number is patched in from the statement).
 * Nothing happens when the idempotency key exists already (undefined comes back); a number is
 * taken only when the key is new, so numbers skip one only when two requests with one key race.
 */
export async function createOrder(
  tenancy: Tenancy,
  tenantId: string,
  row: Omit<typeof orders.$inferInsert, "number" | "idempotencyKey"> & { idempotencyKey: string },
  lines: Omit<typeof orderLines.$inferInsert, "orderId">[],
  events: (from: SQL, number: SQL) => SQL[],
): Promise<OrderRow | undefined> {
  const rows = await tenancy.statement(tenantId, (t, qualified) => {
    const { names, values } = insertLists(orders, row);
    const ev = events(sql`o`, sql`o.number`);
    return sql`
      with o as (
        insert into ${t("orders")} (number, ${names})
        select nextval(${qualified("order_numbers")}::regclass)::text, ${values}
        where not exists (select 1 from ${t("orders")} where idempotency_key = ${row.idempotencyKey})
        on conflict (idempotency_key) do nothing
        returning *
      ), l as (
        insert into ${t("order_lines")} (order_id, position, sku, product_id, name, unit_price, quantity, line_total)
        select o.id, x.* from o, unnest(
          ${sql.param(lines.map((l) => l.position))}::int[], ${sql.param(lines.map((l) => l.sku))}::text[],
          ${sql.param(lines.map((l) => l.productId ?? null))}::text[], ${sql.param(lines.map((l) => l.name))}::text[],
          ${sql.param(lines.map((l) => l.unitPrice))}::bigint[], ${sql.param(lines.map((l) => l.quantity))}::int[],
          ${sql.param(lines.map((l) => l.lineTotal))}::bigint[]) as x
      ), log as (
        insert into ${t("order_transitions")} (order_id, from_status, to_status, actor) select o.id, null, o.status, 'checkout' from o
      )${sql.join(ev.map((e, i) => sql`, e${sql.raw(String(i))} as (${e})`), sql``)}
      select * from o`;
  });
  return rows[0] ? fromDriverRow(orders, rows[0]) : undefined;
}

export async function update(tx: Tx, id: string, set: Partial<typeof orders.$inferInsert>): Promise<void> {
  await tx.update(orders).set({ ...set, updatedAt: new Date() }).where(eq(orders.id, id));
}

/** Let recovery look at the order again (its age, `updatedAt`, stays). */
export async function unlease(tx: Tx, id: string): Promise<void> {
  await tx.update(orders).set({ leaseUntil: null }).where(eq(orders.id, id));
}

/** Take the lease of an in-flight order whose lease ran out; undefined when another instance holds it. */
export async function claim(tx: Tx, id: string, until: Date, now: Date): Promise<OrderRow | undefined> {
  const [row] = await tx
    .update(orders)
    .set({ leaseUntil: until })
    .where(and(eq(orders.id, id), or(isNull(orders.leaseUntil), lt(orders.leaseUntil, now))))
    .returning();
  return row;
}

export async function stuck(tx: Tx, statuses: readonly string[], now: Date, limit: number): Promise<{ id: string }[]> {
  return tx
    .select({ id: orders.id })
    .from(orders)
    .where(and(inArray(orders.status, [...statuses]), or(isNull(orders.leaseUntil), lt(orders.leaseUntil, now))))
    .orderBy(asc(orders.id))
    .limit(limit);
}

export async function list(tx: Tx, q: { status?: OrderStatus | undefined; from?: string | undefined; to?: string | undefined; customerId?: string; limit: number; cursor?: string | undefined }) {
  const where: SQL[] = [];
  if (q.status) where.push(eq(orders.status, q.status));
  if (q.from) where.push(gte(orders.createdAt, new Date(q.from)));
  if (q.to) where.push(lte(orders.createdAt, new Date(q.to)));
  if (q.customerId) where.push(eq(orders.customerId, q.customerId));
  if (q.cursor) where.push(lt(orders.id, q.cursor));
  const rows = await tx.select().from(orders).where(and(...where)).orderBy(desc(orders.id)).limit(q.limit + 1);
  const page = rows.slice(0, q.limit);
  const lines = await linesOf(tx, page.map((r) => r.id));
  return { items: page.map((r) => toOrder(r, lines.get(r.id) ?? [])), nextCursor: rows.length > q.limit ? (page.at(-1)?.id ?? null) : null };
}

export async function settings(tx: Tx): Promise<{ flatShipping: number; taxRateBps: number }> {
  const [row] = await tx.select().from(orderSettings).where(eq(orderSettings.id, 1));
  return { flatShipping: row?.flatShipping ?? 0, taxRateBps: row?.taxRateBps ?? 0 };
}

export async function putSettings(tx: Tx, s: { flatShipping: number; taxRateBps: number }): Promise<void> {
  await tx
    .insert(orderSettings)
    .values({ id: 1, ...s })
    .onConflictDoUpdate({ target: orderSettings.id, set: { ...s, updatedAt: new Date() } });
}
