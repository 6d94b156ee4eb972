import type { OrderStatus, PaymentMethod } from "@bazaar/contracts";
import type { Logger } from "@bazaar/service-kit/logging";
import type { Tenancy } from "@bazaar/service-kit/tenancy";
import { IN_FLIGHT } from "../orders/orders.machine.ts";
import * as repo from "../orders/orders.repo.ts";
import { transition } from "../orders/orders.transitions.ts";
import type { CheckoutService } from "./checkout.service.ts";
import type { Upstream } from "./checkout.upstream.ts";

export interface RecoveryOptions {
  tenancy: Tenancy;
  checkout: CheckoutService;
  upstream: Upstream;
  logger: Logger;
  clock: () => Date;
  leaseMs: number;
  /** How often to look (0 = never on a timer; tests call `tick()`). */
  intervalMs: number;
  /** A payment waiting for the shopper longer than this is voided and the order cancelled (default 30 min). */
  actionTimeoutMs: number;
}

/**
 * Crash recovery: orders left in a checkout step (the instance died, a service was down) are taken
 * over once their lease runs out and driven on from their stored step: reservation and payment are
 * idempotent on the order id, so a resumed order ends paid or compensated (stock released, payment
 * voided), never half-done. Safe on several instances: each order is claimed by a conditional update.
 */
export class RecoveryJob {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(private readonly opts: RecoveryOptions) {}

  start(): void {
    void this.tick().catch((err: unknown) => this.opts.logger.error({ err }, "order recovery failed"));
    if (this.opts.intervalMs > 0) {
      this.timer = setInterval(() => void this.tick().catch((err: unknown) => this.opts.logger.error({ err }, "order recovery failed")), this.opts.intervalMs);
      this.timer.unref();
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Look again soon (a payment event arrived): one pass after the current one. */
  nudge(): void {
    void (this.running ?? Promise.resolve(0))
      .catch(() => 0)
      .then(() => this.tick())
      .catch((err: unknown) => this.opts.logger.error({ err }, "order recovery failed"));
  }

  /** One pass over every store; answers how many orders it moved on. */
  tick(): Promise<number> {
    this.running ??= this.pass().finally(() => (this.running = undefined));
    return this.running;
  }

  private async pass(): Promise<number> {
    const { tenancy, clock } = this.opts;
    let moved = 0;
    for (const t of await tenancy.tenants()) {
      if (t.status !== "ready") continue;
      const tenant = { tenantId: t.tenantId, slug: t.slug };
      const ids = await tenancy.withTenant(t.tenantId, (tx) => repo.stuck(tx, IN_FLIGHT, clock(), 100));
      for (const { id } of ids) {
        const now = clock();
        const row = await tenancy.withTenant(t.tenantId, (tx) => repo.claim(tx, id, new Date(now.getTime() + this.opts.leaseMs), now));
        if (!row) continue;
        try {
          await this.resume(tenant, row, now);
          moved++;
        } catch (err) {
          this.opts.logger.warn({ err, orderId: id, tenantId: t.tenantId }, "order recovery: will try again");
        }
      }
    }
    return moved;
  }

  private async resume(tenant: { tenantId: string; slug: string }, row: repo.OrderRow, now: Date): Promise<void> {
    const status = row.status as OrderStatus;
    if (status === "payment_pending") {
      await this.settlePending(tenant, row, now);
      return;
    }
    await this.opts.checkout.drive(tenant, row, "recovery");
  }

  /**
   * A payment that waited for the shopper: ask the payment service again with the same key (the same
   * payment comes back, never a new charge). Succeeded: commit and pay the order; failed: release;
   * still waiting past the timeout: void, release, cancel.
   */
  private async settlePending(tenant: { tenantId: string; slug: string }, row: repo.OrderRow, now: Date): Promise<void> {
    const { upstream, tenancy, checkout } = this.opts;
    const payment = await upstream.pay(tenant, { orderId: row.id, amount: row.totalAmount, currency: row.currency, method: (row.paymentMethod ?? {}) as PaymentMethod, idempotencyKey: `${row.id}:pay` });
    if (payment.status === "succeeded") {
      await checkout.complete(tenant, row, payment, "recovery");
      return;
    }
    if (payment.status === "failed" || payment.status === "voided") {
      await upstream.release(tenant, row.id);
      await transition(tenancy, tenant.tenantId, row.id, "payment_failed", { actor: "recovery", reason: payment.failureCode ?? "payment_failed", set: { leaseUntil: null, paymentMethod: null } });
      return;
    }
    if (now.getTime() - row.updatedAt.getTime() < this.opts.actionTimeoutMs) {
      await tenancy.withTenant(tenant.tenantId, (tx) => repo.unlease(tx, row.id));
      return;
    }
    await upstream.void(tenant, payment.id);
    await upstream.release(tenant, row.id);
    await transition(tenancy, tenant.tenantId, row.id, "cancelled", { actor: "recovery", reason: "payment_action_expired", set: { leaseUntil: null, paymentMethod: null } });
  }
}
