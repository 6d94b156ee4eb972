import { Cart, Payment, Reservation, type IdentityContext, type PaymentMethod } from "@bazaar/contracts";
import { createServiceClient, UpstreamError, type ServiceTarget } from "@bazaar/service-kit/clients";
import { signTenantHeaders, type TenantContext } from "@bazaar/service-kit/tenancy";

export interface UpstreamTargets {
  cart: ServiceTarget;
  inventory: ServiceTarget;
  payment: ServiceTarget;
}

/** The calls checkout makes to the cart, inventory and payment services (typed by contracts). */
export class Upstream {
  private readonly cart;
  private readonly inventory;
  private readonly payment;

  constructor(targets: UpstreamTargets, private readonly secret: string) {
    this.cart = createServiceClient({ service: "cart", target: targets.cart, secret, timeoutMs: 5_000 });
    this.inventory = createServiceClient({ service: "inventory", target: targets.inventory, secret, timeoutMs: 5_000 });
    this.payment = createServiceClient({ service: "payment", target: targets.payment, secret, timeoutMs: 30_000 });
  }

  /** The priced cart, read as the shopper (their identity, or the guest cart token). */
  readCart(tenant: TenantContext, cartId: string, as: { identity?: IdentityContext | undefined; cartToken?: string | undefined }) {
    return this.cart.call(`/api/v1/carts/${encodeURIComponent(cartId)}`, { headers: this.asShopper(tenant, as), schema: Cart });
  }

  /** Remove the ordered lines from the cart (the cart API has no "empty" call). */
  async removeLines(tenant: TenantContext, cartId: string, skus: string[], as: { identity?: IdentityContext | undefined; cartToken?: string | undefined }) {
    for (const sku of skus) {
      await this.cart.call(`/api/v1/carts/${encodeURIComponent(cartId)}/items/${encodeURIComponent(sku)}`, { method: "DELETE", headers: this.asShopper(tenant, as) });
    }
  }

  reserve(tenant: TenantContext, orderId: string, lines: { sku: string; quantity: number }[], ttlSeconds: number) {
    return this.inventory.call("/internal/inventory/reservations", { tenant, body: { orderId, lines, ttlSeconds }, schema: Reservation });
  }

  commit(tenant: TenantContext, orderId: string) {
    return this.inventory.call(`/internal/inventory/reservations/${orderId}/commit`, { tenant, method: "POST", schema: Reservation });
  }

  /** Release the order's stock; an order that never reserved anything is fine. */
  async release(tenant: TenantContext, orderId: string): Promise<void> {
    try {
      await this.inventory.call(`/internal/inventory/reservations/${orderId}/release`, { tenant, method: "POST", schema: Reservation });
    } catch (err) {
      if (!(err instanceof UpstreamError && err.upstreamStatus === 404)) throw err;
    }
  }

  pay(tenant: TenantContext, body: { orderId: string; amount: number; currency: string; method: PaymentMethod; idempotencyKey: string }) {
    return this.payment.call("/internal/payments", { tenant, body, schema: Payment });
  }

  refund(tenant: TenantContext, paymentId: string, amount: number | undefined, idempotencyKey: string) {
    return this.payment.call(`/internal/payments/${paymentId}/refund`, { tenant, body: { ...(amount !== undefined ? { amount } : {}), idempotencyKey }, schema: Payment });
  }

  void(tenant: TenantContext, paymentId: string) {
    return this.payment.call(`/internal/payments/${paymentId}/void`, { tenant, method: "POST", schema: Payment });
  }

  private asShopper(tenant: TenantContext, as: { identity?: IdentityContext | undefined; cartToken?: string | undefined }): Record<string, string> {
    return { ...signTenantHeaders(this.secret, tenant, as.identity), ...(as.cartToken ? { "x-cart-token": as.cartToken } : {}) };
  }
}
