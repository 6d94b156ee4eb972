import { sql } from "drizzle-orm";
import type { InternalOrder, OrderDetail, OrderStatus } from "@bazaar/contracts";
import { UpstreamError } from "@bazaar/service-kit/clients";
import { AppError } from "@bazaar/service-kit/errors";
import type { Tenancy, TenantContext } from "@bazaar/service-kit/tenancy";
import type { Upstream } from "../checkout/checkout.upstream.ts";
import { assertTransition } from "./orders.machine.ts";
import * as repo from "./orders.repo.ts";
import { transition } from "./orders.transitions.ts";

/** Reads and the merchant's actions on orders: ship, deliver, cancel, refund. */
export class OrdersService {
  constructor(private readonly deps: { tenancy: Tenancy; upstream: Upstream }) {}

  async get(tenantId: string, id: string): Promise<OrderDetail> {
    return this.deps.tenancy.withTenant(tenantId, async (tx) => {
      const row = await repo.byId(tx, id);
      if (!row) throw new AppError("not_found", "No such order in this store.");
      return repo.detail(tx, row);
    });
  }

  /** For other services: the order with the shopper (subject) who placed it, if signed in. */
  async internal(tenantId: string, id: string): Promise<InternalOrder> {
    return this.deps.tenancy.withTenant(tenantId, async (tx) => {
      const row = await repo.byId(tx, id);
      if (!row) throw new AppError("not_found", "No such order in this store.");
      return { ...(await repo.detail(tx, row)), customerId: row.customerId };
    });
  }

  async row(tenantId: string, id: string): Promise<repo.OrderRow> {
    const row = await this.deps.tenancy.withTenant(tenantId, (tx) => repo.byId(tx, id));
    if (!row) throw new AppError("not_found", "No such order in this store.");
    return row;
  }

  async ship(tenantId: string, id: string, body: { carrier: string; trackingNumber: string }, actor: string) {
    await transition(this.deps.tenancy, tenantId, id, "shipped", { actor, set: body });
    return this.get(tenantId, id);
  }

  async deliver(tenantId: string, id: string, actor: string) {
    await transition(this.deps.tenancy, tenantId, id, "delivered", { actor });
    return this.get(tenantId, id);
  }

  /** Cancel: reserved stock is released and money goes back when it was taken (committed stock stays out: the merchant counts returns in). */
  async cancel(tenant: TenantContext, id: string, reason: string | undefined, actor: string) {
    const row = await this.row(tenant.tenantId, id);
    const status = row.status as OrderStatus;
    assertTransition(status, "cancelled");
    if (status === "created" || status === "stock_reserved") throw new AppError("conflict", "This order's checkout is still running; try again in a moment.");
    if (status === "payment_pending") {
      if (row.paymentId) await this.deps.upstream.void(tenant, row.paymentId);
      await this.deps.upstream.release(tenant, id);
    }
    let refunded = row.refundedAmount;
    if ((status === "paid" || status === "partially_refunded") && row.paymentId) {
      const left = row.totalAmount - row.refundedAmount;
      if (left > 0) refunded = (await refused(this.deps.upstream.refund(tenant, row.paymentId, left, `${id}:cancel`))).refundedAmount;
    }
    // Committed stock is not put back automatically: the merchant adjusts inventory for returned goods.
    await transition(this.deps.tenancy, tenant.tenantId, id, "cancelled", { actor, reason: reason ?? "cancelled_by_merchant", set: { refundedAmount: refunded, leaseUntil: null, paymentMethod: null } });
    return this.get(tenant.tenantId, id);
  }

  async refund(tenant: TenantContext, id: string, amount: number | undefined, actor: string) {
    const row = await this.row(tenant.tenantId, id);
    const status = row.status as OrderStatus;
    if (!["paid", "partially_refunded", "shipped", "delivered"].includes(status) || !row.paymentId) {
      throw new AppError("conflict", `An order that is ${status.replace(/_/g, " ")} cannot be refunded.`);
    }
    const left = row.totalAmount - row.refundedAmount;
    const want = amount ?? left;
    if (want > left) throw new AppError("conflict", `At most ${left} is left to refund.`, [{ path: "amount", message: `at most ${left}` }]);
    const payment = await refused(this.deps.upstream.refund(tenant, row.paymentId, want, `${id}:refund:${row.refundedAmount}+${want}`));
    await this.applyRefund(tenant.tenantId, id, payment.refundedAmount, actor, `refund of ${want}`);
    return this.get(tenant.tenantId, id);
  }

  /**
   * The order's refunded total becomes the payment's (`refundedAmount`, cumulative): partially
   * refunded, or refunded once it reaches the total. Idempotent: a total the order already shows
   * (or passed) changes nothing, so the merchant's refund and a refund the provider reported can
   * both apply it, in either order.
   */
  async applyRefund(tenantId: string, id: string, refundedAmount: number, actor: string, reason: string): Promise<repo.OrderRow> {
    const row = await this.row(tenantId, id);
    if (row.refundedAmount >= refundedAmount) return row;
    const to = refundedAmount >= row.totalAmount ? "refunded" : "partially_refunded";
    try {
      return await transition(this.deps.tenancy, tenantId, id, to, { actor, reason, set: { refundedAmount }, guard: sql`o.refunded_amount < ${refundedAmount}` });
    } catch (err) {
      const now = await this.row(tenantId, id);
      if (now.refundedAmount >= refundedAmount) return now;
      throw err;
    }
  }
}

/** The payment service refusing a refund (4xx: already refunded at the provider, less left) is the merchant's 409, not our 502. */
async function refused<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (err) {
    if (err instanceof UpstreamError && err.upstreamStatus >= 400 && err.upstreamStatus < 500) {
      throw new AppError("conflict", `The payment service refused the refund: ${err.problem?.detail ?? `status ${err.upstreamStatus}`}`);
    }
    throw err;
  }
}
