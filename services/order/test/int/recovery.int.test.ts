import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CheckoutResult, OrderDetail } from "@bazaar/contracts";
import type { Database } from "@bazaar/service-kit/db";
import { InProcessBus } from "@bazaar/service-kit/events";
import { createId } from "@bazaar/service-kit/ids";
import { internalHeaders, signTenantHeaders } from "@bazaar/service-kit/tenancy";
import { freshDatabase, silentLogger, TEST_SECRET } from "@bazaar/service-kit/testing";
import { createService, type OrderHandle } from "../../src/app.ts";

/**
 * The order service alone, against small fakes of the cart, inventory and payment services: a service
 * that is down mid-checkout leaves the order at its stored step, and recovery finishes it with one
 * charge; a reservation that expired before the commit refunds the payment.
 */
const CART_ID = `cart_${"0".repeat(26)}`;
const now = new Date().toISOString();
const CART = {
  id: CART_ID, version: 1, currency: "USD", hasWarnings: false, owned: false, updatedAt: now, expiresAt: now,
  totals: { quantity: 2, subtotal: 2000 },
  lines: [{ sku: "FAKE-1", productId: "prod_1", slug: "fake", name: "Fake", options: {}, image: null, quantity: 2, unitPrice: 1000, previousUnitPrice: null, currency: "USD", lineTotal: 2000, available: 10, purchasable: true, warnings: [] }],
};

function fakes() {
  const state = { inventoryDown: false, paymentDown: false, commitConflict: false, charges: new Map<string, number>(), refunds: 0, calls: [] as string[] };
  const reservation = (orderId: string, status: string) => ({ orderId, status, lines: [], expiresAt: now, createdAt: now, updatedAt: now });
  const payment = (id: string, orderId: string, amount: number) => ({ id, orderId, provider: "test", status: "succeeded", amount, refundedAmount: 0, currency: "USD", providerRef: "ref", failureCode: null, failureReason: null, nextAction: null, createdAt: now, updatedAt: now });
  const down = { type: "about:blank", title: "Service unavailable", status: 503, code: "unavailable" };
  const cart = new Hono().get("/api/v1/carts/:id", (c) => c.json(CART)).delete("/api/v1/carts/:id/items/:sku", (c) => c.json(CART));
  const inventory = new Hono()
    .post("/internal/inventory/reservations", async (c) => {
      state.calls.push("reserve");
      if (state.inventoryDown) return c.json(down, 503);
      return c.json(reservation(((await c.req.json()) as { orderId: string }).orderId, "held"), 201);
    })
    .post("/internal/inventory/reservations/:id/commit", (c) => {
      state.calls.push("commit");
      return state.commitConflict ? c.json({ ...down, status: 409, code: "conflict" }, 409) : c.json(reservation(c.req.param("id"), "committed"));
    })
    .post("/internal/inventory/reservations/:id/release", (c) => (state.calls.push("release"), c.json(reservation(c.req.param("id"), "released"))));
  const pay = new Hono()
    .post("/internal/payments", async (c) => {
      if (state.paymentDown) return c.json(down, 503);
      const body = (await c.req.json()) as { orderId: string; amount: number; idempotencyKey: string };
      state.charges.set(body.idempotencyKey, (state.charges.get(body.idempotencyKey) ?? 0) + 1);
      return c.json(payment(`pay_${"1".repeat(26)}`, body.orderId, body.amount));
    })
    .post("/internal/payments/:id/refund", (c) => (state.refunds++, c.json({ ...payment(c.req.param("id"), "x", 2000), status: "refunded", refundedAmount: 2000 })));
  return { state, cart, inventory, pay };
}

describe("order service: interrupted checkouts", () => {
  let database: Database;
  let bus: InProcessBus;
  let service: OrderHandle;
  const f = fakes();
  const store = { tenantId: createId("tenant"), slug: "order-fakes" };
  const owner = { sub: "acc_owner", realm: store.slug, roles: ["owner" as const] };

  beforeAll(async () => {
    database = await freshDatabase("order");
    bus = new InProcessBus();
    service = createService({
      logger: silentLogger(), database, bus, secret: TEST_SECRET, relay: { pollMs: 50 },
      cart: { app: f.cart }, inventory: { app: f.inventory }, payment: { app: f.pay },
      order: { leaseMs: 100, recoveryIntervalMs: 0 },
    });
    await service.start();
    const res = await service.app.request("/internal/tenants/provision", { method: "POST", headers: { ...internalHeaders(TEST_SECRET), "content-type": "application/json" }, body: JSON.stringify(store) });
    expect(res.status).toBe(200);
  });
  afterAll(async () => {
    await service?.stop();
    await bus?.close();
    await database?.close();
  });

  const checkout = (key: string) =>
    service.app.request("/api/v1/checkout", {
      method: "POST",
      headers: { ...signTenantHeaders(TEST_SECRET, store), "content-type": "application/json", "idempotency-key": key, "x-cart-token": "t" },
      body: JSON.stringify({ cartId: CART_ID, email: "a@b.test", shippingAddress: { name: "A", line1: "1 St", city: "C", postalCode: "1", country: "US" }, paymentMethod: { provider: "test", card: "4242424242424242" } }),
    });
  const read = async (id: string) => OrderDetail.parse(await (await service.app.request(`/api/v1/admin/orders/${id}`, { headers: signTenantHeaders(TEST_SECRET, store, owner) })).json());
  const latest = async () => ((await (await service.app.request("/api/v1/admin/orders?limit=1", { headers: signTenantHeaders(TEST_SECRET, store, owner) })).json()) as { items: { id: string; status: string }[] }).items[0]!;
  const settle = () => new Promise((r) => setTimeout(r, 150));

  it("inventory down at the reservation: the order stays created, recovery completes it once inventory is back", async () => {
    f.state.inventoryDown = true;
    const res = await checkout("fake-inventory-down");
    expect(res.status).toBe(502);
    const stuck = await latest();
    expect(stuck.status).toBe("created");
    f.state.inventoryDown = false;
    await settle();
    expect(await service.recovery.tick()).toBe(1);
    expect((await read(stuck.id)).status).toBe("paid");
    expect(f.state.charges.get(`${stuck.id}:pay`)).toBe(1);
    const again = CheckoutResult.parse(await (await checkout("fake-inventory-down")).json());
    expect(again).toMatchObject({ orderId: stuck.id, status: "paid" });
  });

  it("payment service down after the reservation: recovery pays with the same key", async () => {
    f.state.paymentDown = true;
    expect((await checkout("fake-payment-down")).status).toBe(502);
    const stuck = await latest();
    expect(stuck.status).toBe("stock_reserved");
    expect(await service.recovery.tick()).toBe(0); // its lease still holds
    f.state.paymentDown = false;
    await settle();
    await service.recovery.tick();
    expect((await read(stuck.id)).status).toBe("paid");
  });

  it("a reservation that expired before the commit: the payment is refunded, the order cancelled", async () => {
    f.state.commitConflict = true;
    const res = await checkout("fake-expired");
    expect(res.status).toBe(201);
    const body = CheckoutResult.parse(await res.json());
    f.state.commitConflict = false;
    expect(body.status).toBe("cancelled");
    expect(f.state.refunds).toBe(1);
    expect(await read(body.orderId)).toMatchObject({ status: "cancelled", reason: "reservation_expired" });
  });
});
