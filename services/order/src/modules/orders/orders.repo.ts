import { and, asc, desc, eq, gte, inArray, isNull, lt, lte, or, sql, type SQL } from "drizzle-orm";
import type { Order, OrderDetail, OrderStatus, ShippingAddress } from "@bazaar/contracts";
import type { Tx } from "@bazaar/service-kit/db";
import { orderCounters, orderLines, orders, orderSettings, orderTransitions } from "../../db/schema/index.ts";

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

/** The next order number of this store (the counter row stays locked until the transaction ends). */
export async function nextNumber(tx: Tx): Promise<string> {
  const [row] = await tx
    .insert(orderCounters)
    .values({ name: "order_number", value: 1001 })
    .onConflictDoUpdate({ target: orderCounters.name, set: { value: sql`${orderCounters.value} + 1` } })
    .returning({ value: orderCounters.value });
  return String(row!.value);
}

/** Insert unless the idempotency key exists (then nothing happens and undefined comes back). */
export async function insertOrder(tx: Tx, row: typeof orders.$inferInsert, lines: Omit<typeof orderLines.$inferInsert, "orderId">[]): Promise<OrderRow | undefined> {
  const [inserted] = await tx.insert(orders).values(row).onConflictDoNothing({ target: orders.idempotencyKey }).returning();
  if (!inserted) return undefined;
  await tx.insert(orderLines).values(lines.map((l) => ({ ...l, orderId: inserted.id })));
  await tx.insert(orderTransitions).values({ orderId: inserted.id, fromStatus: null, toStatus: inserted.status, actor: "checkout" });
  return inserted;
}

/** Move an order from `from` to `to`; undefined when someone else moved it first. */
export async function move(tx: Tx, id: string, from: OrderStatus, to: OrderStatus, set: Partial<typeof orders.$inferInsert>, log: { reason?: string | null; actor: string }): Promise<OrderRow | undefined> {
  const [row] = await tx
    .update(orders)
    .set({ ...set, status: to, updatedAt: new Date() })
    .where(and(eq(orders.id, id), eq(orders.status, from)))
    .returning();
  if (!row) return undefined;
  await tx.insert(orderTransitions).values({ orderId: id, fromStatus: from, toStatus: to, reason: log.reason ?? null, actor: log.actor });
  return row;
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
