import { OrderEvents, type OrderStatus } from "@bazaar/contracts";
import { AppError } from "@bazaar/service-kit/errors";
import { enqueue } from "@bazaar/service-kit/events";
import type { Tenancy } from "@bazaar/service-kit/tenancy";
import { assertTransition, eventFor } from "./orders.machine.ts";
import * as repo from "./orders.repo.ts";

export interface MoveOptions {
  reason?: string | null;
  actor: string;
  set?: Parameters<typeof repo.move>[4];
}

/**
 * One guarded transition in one transaction: the order row moves only from the status it was read
 * in (a concurrent change makes this a 409), the step is logged and its event enqueued.
 */
export async function transition(tenancy: Tenancy, tenantId: string, id: string, to: OrderStatus, opts: MoveOptions): Promise<repo.OrderRow> {
  return tenancy.withTenant(tenantId, async (tx) => {
    const current = await repo.byId(tx, id, true);
    if (!current) throw new AppError("not_found", "No such order in this store.");
    const from = current.status as OrderStatus;
    assertTransition(from, to);
    const row = await repo.move(tx, id, from, to, { reason: opts.reason ?? null, ...opts.set }, { reason: opts.reason ?? null, actor: opts.actor });
    if (!row) throw new AppError("conflict", "The order changed meanwhile; read it again.");
    const base = { orderId: row.id, number: row.number, status: to, total: row.totalAmount, currency: row.currency, ...(opts.reason ? { reason: opts.reason } : {}) };
    const def = eventFor(to);
    if (def) await enqueue(tx, def, { tenantId, aggregateId: row.id, data: base });
    if (to === "shipped") await enqueue(tx, OrderEvents.shipped, { tenantId, aggregateId: row.id, data: { ...base, carrier: row.carrier ?? "", trackingNumber: row.trackingNumber ?? "" } });
    if (to === "refunded" || to === "partially_refunded") await enqueue(tx, OrderEvents.refunded, { tenantId, aggregateId: row.id, data: { ...base, refundedAmount: row.refundedAmount } });
    return row;
  });
}
