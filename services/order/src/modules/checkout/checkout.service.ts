import { createHash } from "node:crypto";
import { OrderEvents, type CheckoutBody, type CheckoutResult, type IdentityContext, type OrderStatus, type Payment, type PaymentMethod } from "@bazaar/contracts";
import { UpstreamError } from "@bazaar/service-kit/clients";
import { AppError, type FieldError } from "@bazaar/service-kit/errors";
import { outboxInsert } from "@bazaar/service-kit/events";
import { createId } from "@bazaar/service-kit/ids";
import type { Logger } from "@bazaar/service-kit/logging";
import type { Tenancy, TenantContext } from "@bazaar/service-kit/tenancy";
import { totals } from "../orders/orders.machine.ts";
import * as repo from "../orders/orders.repo.ts";
import { transition, type MoveOptions } from "../orders/orders.transitions.ts";
import type { OrderTokens } from "../orders/orders.token.ts";
import type { Upstream } from "./checkout.upstream.ts";

/** Test hook: runs after each stored checkout step; throwing simulates a crash right there. */
export type StepHook = (step: OrderStatus, orderId: string) => Promise<void>;

export interface CheckoutDeps {
  tenancy: Tenancy;
  upstream: Upstream;
  tokens: OrderTokens;
  logger: Logger;
  clock: () => Date;
  /** How long a running checkout step keeps other instances' recovery away (default 60 s). */
  leaseMs: number;
  reservationTtlSeconds: number;
  afterStep?: StepHook | undefined;
}

/** Warnings that make a line unsellable: checkout refuses the cart until the shopper fixes it. */
const BLOCKING = new Set(["out_of_stock", "insufficient_stock", "product_unavailable", "product_gone", "currency_mismatch"]);
const STOCK = new Set(["out_of_stock", "insufficient_stock"]);

export interface Caller {
  tenant: TenantContext;
  identity?: IdentityContext | undefined;
  cartToken?: string | undefined;
}

/**
 * Checkout orchestration (ARCHITECTURE.md, Checkout): the order is stored first (Created, with its
 * idempotency key), then each step is stored as it completes, so a crash anywhere leaves a state
 * the recovery job can resume or compensate.
 */
export class CheckoutService {
  constructor(private readonly deps: CheckoutDeps) {}

  async checkout(caller: Caller, body: CheckoutBody, idempotencyKey: string | undefined): Promise<{ result: CheckoutResult; created: boolean }> {
    const { tenancy } = this.deps;
    const tenantId = caller.tenant.tenantId;
    const hash = createHash("sha256").update(JSON.stringify([body, caller.identity?.sub ?? null])).digest("base64url");
    const key = idempotencyKey ?? `auto:${createId("order")}`;
    // One statement, no transaction: whether the key was seen, and the store's settings for the totals.
    const context = await repo.checkoutContext(tenancy, tenantId, idempotencyKey ? key : undefined);
    const existing = context.existing ? await tenancy.withTenant(tenantId, (tx) => repo.byKey(tx, key)) : undefined;
    if (existing) return { result: await this.repeat(tenantId, existing, hash), created: false };

    const cart = await this.deps.upstream.readCart(caller.tenant, body.cartId, caller).catch((err: unknown) => {
      if (err instanceof UpstreamError && err.upstreamStatus === 404) throw new AppError("not_found", "No such cart (or its token is missing).");
      throw err;
    });
    if (cart.lines.length === 0 || !cart.currency) throw new AppError("validation_failed", "The cart is empty.", [{ path: "cartId", message: "the cart has no lines" }]);
    const blocked: FieldError[] = [];
    let stock = false;
    cart.lines.forEach((l, i) => {
      const bad = l.warnings.filter((w) => BLOCKING.has(w));
      if (bad.length || !l.purchasable || l.unitPrice === null) {
        blocked.push({ path: `lines.${i}`, message: `${l.sku}: ${bad.join(", ") || "not purchasable"}` });
        if (bad.some((w) => STOCK.has(w))) stock = true;
      }
    });
    if (blocked.length) throw new AppError(stock ? "out_of_stock" : "conflict", `Some cart lines cannot be bought: ${blocked.map((b) => b.message).join("; ")}.`, blocked);

    const now = this.deps.clock();
    const t = totals(cart.totals.subtotal, context.settings);
    const id = createId("order");
    const currency = cart.currency;
    const row = await repo.createOrder(
      tenancy,
      tenantId,
      {
        id,
        status: "created",
        subtotal: t.subtotal,
        shipping: t.shipping,
        tax: t.tax,
        totalAmount: t.total,
        currency,
        email: body.email,
        shippingAddress: body.shippingAddress,
        customerId: caller.identity?.sub ?? null,
        idempotencyKey: key,
        requestHash: hash,
        cartId: body.cartId,
        paymentMethod: body.paymentMethod,
        leaseUntil: new Date(now.getTime() + this.deps.leaseMs),
      },
      cart.lines.map((l, position) => ({ position, sku: l.sku, productId: l.productId, name: l.name ?? l.sku, unitPrice: l.unitPrice!, quantity: l.quantity, lineTotal: l.lineTotal })),
      (from, number) => [
        outboxInsert(OrderEvents.created, [{ tenantId, aggregateId: id, data: { orderId: id, number: "", status: "created", total: t.total, currency, email: body.email } }], { from, patch: { number } }).statement,
      ],
    );
    // undefined: a concurrent request with the same key won; answer its order.
    if (!row) {
      const winner = await tenancy.withTenant(tenantId, (tx) => repo.byKey(tx, key));
      return { result: await this.repeat(tenantId, winner!, hash), created: false };
    }
    await this.deps.afterStep?.("created", row.id);
    const done = await this.drive(caller.tenant, row, "checkout", cart.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })));
    if (done.status === "paid") {
      await this.deps.upstream.removeLines(caller.tenant, body.cartId, cart.lines.map((l) => l.sku), caller).catch((err: unknown) => {
        this.deps.logger.warn({ err, orderId: row.id }, "order paid; emptying the cart failed");
      });
    }
    return { result: this.answer(caller.tenant, done.row, done.payment), created: true };
  }

  /**
   * Move an order forward from whatever step it is in until it rests (paid, failed, cancelled,
   * waiting for the shopper). Every step is idempotent on the order id, so resuming is safe.
   */
  async drive(tenant: TenantContext, start: repo.OrderRow, actor: string, known?: { sku: string; quantity: number }[]): Promise<{ row: repo.OrderRow; status: OrderStatus; payment: Payment | undefined }> {
    const { tenancy, upstream } = this.deps;
    const tenantId = tenant.tenantId;
    let row = start;
    let payment: Payment | undefined;
    const lease = () => ({ leaseUntil: new Date(this.deps.clock().getTime() + this.deps.leaseMs) });
    const settle = (set: MoveOptions["set"] = {}) => ({ ...set, leaseUntil: null, paymentMethod: null });
    for (;;) {
      const status = row.status as OrderStatus;
      if (status === "created") {
        const lines = known ?? ((await tenancy.withTenant(tenantId, (tx) => repo.linesOf(tx, [row.id]))).get(row.id) ?? []).map((l) => ({ sku: l.sku, quantity: l.quantity }));
        try {
          await upstream.reserve(tenant, row.id, lines, this.deps.reservationTtlSeconds);
        } catch (err) {
          if (err instanceof UpstreamError && err.upstreamStatus === 409) {
            row = await transition(tenancy, tenantId, row.id, "cancelled", { actor, reason: "out_of_stock", set: settle() });
            return { row, status: "cancelled", payment };
          }
          throw err;
        }
        row = await transition(tenancy, tenantId, row.id, "stock_reserved", { actor, set: lease() });
        await this.deps.afterStep?.("stock_reserved", row.id);
        continue;
      }
      if (status === "stock_reserved") {
        const method = (row.paymentMethod ?? {}) as PaymentMethod;
        payment = await upstream.pay(tenant, { orderId: row.id, amount: row.totalAmount, currency: row.currency, method, idempotencyKey: `${row.id}:pay` }).catch(async (err: unknown) => {
          // The payment service refused the request itself (gateway disabled, key reused): nothing was charged.
          if (err instanceof UpstreamError && err.upstreamStatus >= 400 && err.upstreamStatus < 500) return undefined;
          throw err;
        });
        if (!payment) {
          await upstream.release(tenant, row.id);
          row = await transition(tenancy, tenantId, row.id, "payment_failed", { actor, reason: "payment_refused", set: settle() });
          return { row, status: "payment_failed", payment };
        }
        if (payment.status === "failed") {
          await upstream.release(tenant, row.id);
          row = await transition(tenancy, tenantId, row.id, "payment_failed", { actor, reason: payment.failureCode ?? "payment_failed", set: settle({ paymentId: payment.id }) });
          return { row, status: "payment_failed", payment };
        }
        if (payment.status === "requires_action") {
          row = await transition(tenancy, tenantId, row.id, "payment_pending", { actor, set: { paymentId: payment.id, leaseUntil: null } });
          return { row, status: "payment_pending", payment };
        }
        if (payment.status !== "succeeded") {
          // Pending: the provider has not answered yet; recovery asks again with the same key.
          await tenancy.withTenant(tenantId, (tx) => repo.update(tx, row.id, { paymentId: payment!.id, leaseUntil: null }));
          return { row: { ...row, paymentId: payment.id }, status, payment };
        }
        return this.complete(tenant, row, payment, actor);
      }
      return { row, status, payment };
    }
  }

  /** Payment taken: commit the stock; a reservation that expired meanwhile means the money goes back. */
  async complete(tenant: TenantContext, row: repo.OrderRow, payment: Payment, actor: string) {
    const { tenancy, upstream } = this.deps;
    try {
      await upstream.commit(tenant, row.id);
    } catch (err) {
      if (!(err instanceof UpstreamError && err.upstreamStatus === 409)) throw err;
      await upstream.refund(tenant, payment.id, undefined, `${row.id}:expired`);
      const cancelled = await transition(tenancy, tenant.tenantId, row.id, "cancelled", { actor, reason: "reservation_expired", set: { paymentId: payment.id, refundedAmount: payment.amount, leaseUntil: null, paymentMethod: null } });
      return { row: cancelled, status: "cancelled" as const, payment };
    }
    const paid = await transition(tenancy, tenant.tenantId, row.id, "paid", { actor, set: { paymentId: payment.id, leaseUntil: null, paymentMethod: null } });
    return { row: paid, status: "paid" as const, payment };
  }

  answer(tenant: TenantContext, row: repo.OrderRow, payment?: Payment): CheckoutResult {
    const status = row.status as OrderStatus;
    if (status === "cancelled" && row.reason === "out_of_stock") {
      throw new AppError("out_of_stock", `Order ${row.number} was not placed: some items are out of stock. Nothing was charged.`);
    }
    return {
      orderId: row.id,
      orderNumber: row.number,
      status,
      accessToken: this.deps.tokens.sign(tenant.tenantId, row.id),
      payment: row.paymentId || payment
        ? { id: payment?.id ?? row.paymentId, status: payment?.status ?? null, failureCode: payment?.failureCode ?? (status === "payment_failed" ? row.reason : null), nextAction: payment?.nextAction ?? null }
        : null,
    };
  }

  /** The same key again: the same order (waiting briefly while its first request still runs), never a second charge. */
  private async repeat(tenantId: string, row: repo.OrderRow, hash: string): Promise<CheckoutResult> {
    if (row.requestHash && row.requestHash !== hash) throw new AppError("conflict", "This Idempotency-Key was used for another checkout.");
    let current = row;
    for (let i = 0; i < 100 && (current.status === "created" || current.status === "stock_reserved") && current.leaseUntil && current.leaseUntil > this.deps.clock(); i++) {
      await new Promise((r) => setTimeout(r, 50));
      current = (await this.deps.tenancy.withTenant(tenantId, (tx) => repo.byId(tx, row.id)))!;
    }
    return this.answer({ tenantId, slug: "" }, current);
  }
}

