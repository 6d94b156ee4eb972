import { sql } from "drizzle-orm";
import { PaymentEvents } from "@bazaar/contracts";
import type { ServiceTarget } from "@bazaar/service-kit/clients";
import { defineObserver } from "@bazaar/service-kit/events";
import { createServiceCore, type CoreDeps, type ServiceHandle } from "@bazaar/service-kit/service";
import { ACCESS } from "./access.ts";
import { RecoveryJob } from "./modules/checkout/checkout.recovery.ts";
import { CheckoutService, type StepHook } from "./modules/checkout/checkout.service.ts";
import { Upstream } from "./modules/checkout/checkout.upstream.ts";
import { adminOrderRoutes } from "./modules/orders/orders.admin.routes.ts";
import { internalOrderRoutes } from "./modules/orders/orders.internal.routes.ts";
import { shopperRoutes } from "./modules/orders/orders.routes.ts";
import { OrdersService } from "./modules/orders/orders.service.ts";
import { OrderTokens } from "./modules/orders/orders.token.ts";

export interface OrderOptions {
  /** How long a running checkout step keeps recovery away from its order (default 60 s). */
  leaseMs?: number;
  /** How often interrupted checkouts are looked for (default 15 s; 0 = only at start, tests call `recovery.tick()`). */
  recoveryIntervalMs?: number;
  /** A payment waiting for the shopper longer than this is voided and the order cancelled (default 30 min). */
  actionTimeoutMs?: number;
  /**
   * Reservation lifetime asked of the inventory service (default: the action window plus 5 minutes,
   * so stock stays held while a shopper completes 3-D Secure; paid orders commit at once and failed
   * or abandoned ones release explicitly, so the lifetime only bounds orders nobody drives on).
   */
  reservationTtlSeconds?: number;
  /** Tests: runs after each stored checkout step; throwing there simulates a crash. */
  afterStep?: StepHook;
}

export interface OrderDeps extends CoreDeps {
  /** Where the cart, inventory and payment services answer (in-process app or base URL). */
  cart: ServiceTarget;
  inventory: ServiceTarget;
  payment: ServiceTarget;
  order?: OrderOptions;
}

export type OrderHandle = ServiceHandle & { recovery: RecoveryJob; checkout: CheckoutService };

/** The order service: checkout orchestration, the order lifecycle and its events, crash recovery. */
export function createService(deps: OrderDeps): OrderHandle {
  const core = createServiceCore("order", deps, new URL("../migrations/tenant", import.meta.url), { access: ACCESS });
  const opts = deps.order ?? {};
  const clock = deps.clock ?? (() => new Date());
  const leaseMs = opts.leaseMs ?? 60_000;
  const upstream = new Upstream({ cart: deps.cart, inventory: deps.inventory, payment: deps.payment }, deps.secret);
  const tokens = new OrderTokens(deps.secret);
  const checkout = new CheckoutService({
    tenancy: core.tenancy,
    upstream,
    tokens,
    logger: deps.logger,
    clock,
    leaseMs,
    reservationTtlSeconds: opts.reservationTtlSeconds ?? Math.ceil((opts.actionTimeoutMs ?? 30 * 60_000) / 1000) + 300,
    afterStep: opts.afterStep,
  });
  const orders = new OrdersService({ tenancy: core.tenancy, upstream });
  const recovery = new RecoveryJob({
    tenancy: core.tenancy,
    checkout,
    upstream,
    logger: deps.logger,
    clock,
    leaseMs,
    intervalMs: opts.recoveryIntervalMs ?? 15_000,
    actionTimeoutMs: opts.actionTimeoutMs ?? 30 * 60_000,
  });
  core.app.route("/", shopperRoutes({ checkout, orders, tokens, tenancy: core.tenancy }));
  core.app.route("/", adminOrderRoutes({ orders, tenancy: core.tenancy }));
  core.app.route("/", internalOrderRoutes({ orders, secret: deps.secret }));
  // A payment that waited for the shopper was settled (confirmation, webhook): settle its order now.
  // Safe to repeat, so no inbox and no transaction: one read per payment event (most concern orders checkout already settled).
  const nudge = async (envelope: { tenantId: string; data: { orderId: string } }) => {
    const [row] = await core.tenancy.read<{ status: string }>(envelope.tenantId, (t) => sql`select status from ${t("orders")} where id = ${envelope.data.orderId}`);
    if (row?.status === "payment_pending") recovery.nudge();
  };
  const handle = core.handle({
    handlers: [
      defineObserver(PaymentEvents.succeeded, nudge),
      defineObserver(PaymentEvents.failed, nudge),
      // A refund the provider reported (made in its dashboard) reaches the order; refunds asked through
      // the order service are applied by it. Idempotent, so no inbox.
      defineObserver(PaymentEvents.refunded, async (e) => {
        if (e.data.source !== "provider") return;
        await orders.applyRefund(e.tenantId, e.data.orderId, e.data.refundedAmount, "provider", "refunded at the payment provider").catch((err: unknown) => {
          deps.logger.warn({ err, orderId: e.data.orderId }, "a provider refund could not be applied to its order");
        });
      }),
    ],
    onStart: async () => recovery.start(),
    onStop: () => recovery.stop(),
  });
  return Object.assign(handle, { recovery, checkout });
}
