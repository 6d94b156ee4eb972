import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CheckoutResult, InternalOrder, OrderDetail } from "@bazaar/contracts";
import { createService as createOrder, type OrderHandle } from "@bazaar/order";
import { createServiceClient } from "@bazaar/service-kit/clients";
import { InProcessBus } from "@bazaar/service-kit/events";
import type { CoreDeps } from "@bazaar/service-kit/service";
import { signTenantHeaders } from "@bazaar/service-kit/tenancy";
import { eventually, silentLogger, TEST_SECRET } from "@bazaar/service-kit/testing";
import { testPlatform } from "./harness.ts";

/**
 * Checkout through the gateway with the built-in test gateway, on real Postgres: the happy path,
 * declines and provider timeouts compensate, one Idempotency-Key is one order and one charge,
 * no oversell under 200 concurrent checkouts, and a crash between reservation and payment.
 */
const STORE = "co-a";
const ADDRESS = { name: "Ann Shopper", line1: "1 Main St", city: "Springfield", postalCode: "12345", country: "US" };
const CARDS = { ok: "4242424242424242", declined: "4000000000000002", network: "4000000000000119", action: "4000002500003155" };

type P = Awaited<ReturnType<typeof testPlatform>>;

describe("checkout through the gateway", () => {
  let p: P;
  let crashAt: string | undefined;
  let tenantId = "";
  const target = (name: string) => ({ app: { fetch: (req: Request) => p.services[name]!.app.fetch(req) } });
  const orderDeps = (deps: CoreDeps) => ({
    ...deps,
    cart: target("cart"),
    inventory: target("inventory"),
    payment: target("payment"),
  });

  beforeAll(async () => {
    p = await testPlatform({
      order: (deps) =>
        createOrder({
          ...orderDeps(deps),
          order: {
            leaseMs: 300,
            recoveryIntervalMs: 0,
            afterStep: async (step) => {
              if (step === crashAt) throw new Error(`simulated crash after ${step}`);
            },
          },
        }),
    });
    const res = await p.api("/api/v1/platform/tenants", { method: "POST", admin: true, body: JSON.stringify({ slug: STORE, name: STORE, ownerEmail: `owner@${STORE}.test`, plan: "starter", currency: "USD" }) });
    expect(res.status).toBe(201);
    tenantId = (await res.json()).id as string;
    const settings = await p.api("/api/v1/admin/orders/settings", { method: "PUT", admin: true, tenant: STORE, body: JSON.stringify({ flatShipping: 500, taxRateBps: 1000 }) });
    expect(settings.status, await settings.clone().text()).toBe(200);
  });
  afterAll(async () => {
    await p?.stop();
  });

  async function product(name: string, stock: number): Promise<string> {
    const made = await p.api("/api/v1/admin/products", { method: "POST", admin: true, tenant: STORE, body: JSON.stringify({ name, currency: "USD", price: 1000, stock: Math.max(stock, 1000) }) });
    expect(made.status, await made.clone().text()).toBe(201);
    const sku = (await made.json()).variants[0].sku as string;
    const set = await p.api(`/api/v1/admin/inventory/${sku}`, { method: "PUT", admin: true, tenant: STORE, body: JSON.stringify({ onHand: stock }) });
    expect(set.status, await set.clone().text()).toBe(200);
    return sku;
  }
  async function cart(sku: string, quantity = 1): Promise<{ id: string; token: string }> {
    const created = await (await p.api("/api/v1/carts", { method: "POST", tenant: STORE })).json();
    const add = await p.api(`/api/v1/carts/${created.id}/items`, { method: "POST", tenant: STORE, headers: { "x-cart-token": created.token }, body: JSON.stringify({ sku, quantity }) });
    expect(add.status, await add.clone().text()).toBe(200);
    return created;
  }
  const checkout = (c: { id: string; token: string }, card: string, key?: string) =>
    p.api("/api/v1/checkout", {
      method: "POST",
      tenant: STORE,
      headers: { "x-cart-token": c.token, ...(key ? { "idempotency-key": key } : {}) },
      body: JSON.stringify({ cartId: c.id, email: "ann@example.test", shippingAddress: ADDRESS, paymentMethod: { provider: "test", card } }),
    });
  async function level(sku: string): Promise<{ onHand: number; reserved: number }> {
    const res = await p.api(`/api/v1/admin/inventory/${sku}`, { admin: true, tenant: STORE });
    return (await res.json()).levels[0];
  }
  async function order(id: string) {
    const res = await p.api(`/api/v1/admin/orders/${id}`, { admin: true, tenant: STORE });
    expect(res.status).toBe(200);
    return OrderDetail.parse(await res.json());
  }
  async function paymentsOf(orderId: string) {
    const res = await p.api("/api/v1/admin/payments?limit=100", { admin: true, tenant: STORE });
    return ((await res.json()).items as { orderId: string; status: string }[]).filter((x) => x.orderId === orderId);
  }

  it("places a paid order: totals with shipping and tax, stock committed, cart emptied, guest reads it with its token", async () => {
    const sku = await product("Checkout mug", 10);
    const c = await cart(sku, 2);
    const res = await checkout(c, CARDS.ok, "happy-path-key-1");
    expect(res.status, await res.clone().text()).toBe(201);
    const body = CheckoutResult.parse(await res.json());
    expect(body).toMatchObject({ status: "paid", orderNumber: expect.stringMatching(/^\d+$/), payment: { status: "succeeded" } });
    const o = await order(body.orderId);
    expect(o).toMatchObject({ subtotal: 2000, shipping: 500, tax: 200, total: 2700, currency: "USD", lines: [{ sku, quantity: 2, unitPrice: 1000, lineTotal: 2000 }] });
    expect(o.history.map((h) => h.to)).toEqual(["created", "stock_reserved", "paid"]);
    expect(await level(sku)).toMatchObject({ onHand: 8, reserved: 0 });
    const emptied = await (await p.api(`/api/v1/carts/${c.id}`, { tenant: STORE, headers: { "x-cart-token": c.token } })).json();
    expect(emptied.lines).toEqual([]);
    const guest = await p.api(`/api/v1/orders/${body.orderId}`, { tenant: STORE, headers: { "x-order-token": body.accessToken } });
    expect(guest.status).toBe(200);
    expect((await p.api(`/api/v1/orders/${body.orderId}`, { tenant: STORE, headers: { "x-order-token": "forged" } })).status).toBe(404);
    expect((await p.api(`/api/v1/orders/${body.orderId}`, { tenant: STORE })).status).toBe(404);
  });

  it("a product created with stock can be sold at once: the catalog's stock seeds its inventory level, once", async () => {
    const made = await p.api("/api/v1/admin/products", { method: "POST", admin: true, tenant: STORE, body: JSON.stringify({ name: "Seeded lamp", currency: "USD", price: 1000, stock: 7 }) });
    expect(made.status, await made.clone().text()).toBe(201);
    const sku = (await made.json()).variants[0].sku as string;
    await eventually(async () => (await p.api(`/api/v1/admin/inventory/${sku}`, { admin: true, tenant: STORE })).status === 200, "the inventory level to be seeded");
    const seeded = await (await p.api(`/api/v1/admin/inventory/${sku}`, { admin: true, tenant: STORE })).json();
    expect(seeded.levels).toMatchObject([{ location: "default", onHand: 7, reserved: 0 }]);
    expect(seeded.adjustments).toMatchObject([{ kind: "set", delta: 7, actor: "catalog" }]);
    const res = await checkout(await cart(sku, 3), CARDS.ok);
    expect(res.status, await res.clone().text()).toBe(201);
    expect(await level(sku)).toMatchObject({ onHand: 4, reserved: 0 });
  });

  it("a signed-in shopper checks out their own cart and sees it in their history; others do not", async () => {
    const identity = createServiceClient({ service: "identity", target: target("identity"), secret: TEST_SECRET });
    const tokenOf = async (email: string) => {
      await identity.call(`/internal/realms/${STORE}/accounts`, { method: "POST", body: { email, password: "shop-password-1", roles: ["shopper"] } });
      const login = await p.gateway.app.request(`/auth/realms/${STORE}/protocol/openid-connect/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "password", client_id: "storefront", username: email, password: "shop-password-1" }),
      });
      expect(login.status).toBe(200);
      return { authorization: `Bearer ${((await login.json()) as { access_token: string }).access_token}` };
    };
    const ann = await tokenOf("ann@co-a.test");
    const bob = await tokenOf("bob@co-a.test");
    const sku = await product("Shopper mug", 5);
    const mine = await (await p.api("/api/v1/carts", { method: "POST", tenant: STORE, headers: ann })).json();
    await p.api(`/api/v1/carts/${mine.id}/items`, { method: "POST", tenant: STORE, headers: ann, body: JSON.stringify({ sku, quantity: 1 }) });
    const res = await p.api("/api/v1/checkout", { method: "POST", tenant: STORE, headers: { ...ann, "idempotency-key": "shopper-key-0001" }, body: JSON.stringify({ cartId: mine.id, email: "ann@co-a.test", shippingAddress: ADDRESS, paymentMethod: { provider: "test", card: CARDS.ok } }) });
    expect(res.status, await res.clone().text()).toBe(201);
    const { orderId } = CheckoutResult.parse(await res.json());
    const history = await (await p.api("/api/v1/orders", { tenant: STORE, headers: ann })).json();
    expect(history.items.map((o: { id: string }) => o.id)).toEqual([orderId]);
    expect((await p.api(`/api/v1/orders/${orderId}`, { tenant: STORE, headers: ann })).status).toBe(200);
    expect((await (await p.api("/api/v1/orders", { tenant: STORE, headers: bob })).json()).items).toEqual([]);
    expect((await p.api(`/api/v1/orders/${orderId}`, { tenant: STORE, headers: bob })).status).toBe(404);
    expect((await p.api("/api/v1/orders", { tenant: STORE })).status).toBe(401);
    // Other services (notifications) read it internally, with the shopper who placed it; the gateway never routes /internal.
    const internal = createServiceClient({ service: "order", target: target("order"), secret: TEST_SECRET });
    const read = InternalOrder.parse(await internal.call(`/internal/orders/${orderId}`, { tenant: { tenantId, slug: STORE } }));
    expect(read).toMatchObject({ id: orderId, customerId: expect.stringMatching(/.+/), email: "ann@co-a.test", lines: [{ sku, quantity: 1 }] });
    expect((await p.services.order!.app.request(`/internal/orders/${orderId}`)).status).toBe(403);
    expect((await p.gateway.app.request(`/internal/orders/${orderId}`, { headers: { "x-tenant": STORE } })).status).toBe(404);
  });

  it("the same Idempotency-Key twice: one order, one charge; another body with it is a 409", async () => {
    const sku = await product("Idempotent mug", 10);
    const c = await cart(sku);
    const [a, b] = await Promise.all([checkout(c, CARDS.ok, "same-key-0001"), checkout(c, CARDS.ok, "same-key-0001")]);
    const again = await checkout(c, CARDS.ok, "same-key-0001");
    const bodies = [await a.json(), await b.json(), await again.json()];
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(again.status).toBe(200);
    expect(new Set(bodies.map((x) => x.orderId)).size).toBe(1);
    expect(bodies.every((x) => x.status === "paid")).toBe(true);
    expect(await paymentsOf(bodies[0].orderId)).toHaveLength(1);
    expect(await level(sku)).toMatchObject({ onHand: 9, reserved: 0 });
    const other = await checkout(c, CARDS.declined, "same-key-0001");
    expect(other.status).toBe(409);
  });

  it("a declined card: PaymentFailed, stock released", async () => {
    const sku = await product("Declined mug", 5);
    const res = await checkout(await cart(sku, 3), CARDS.declined, "declined-key-1");
    expect(res.status).toBe(201);
    const body = CheckoutResult.parse(await res.json());
    expect(body).toMatchObject({ status: "payment_failed", payment: { failureCode: "card_declined" } });
    expect(await level(sku)).toMatchObject({ onHand: 5, reserved: 0 });
    expect((await order(body.orderId)).reason).toBe("card_declined");
  });

  it("a provider timing out: retried, then PaymentFailed with stock released", async () => {
    const sku = await product("Timeout mug", 5);
    const res = await checkout(await cart(sku), CARDS.network, "timeout-key-1");
    const body = CheckoutResult.parse(await res.json());
    expect(body).toMatchObject({ status: "payment_failed", payment: { failureCode: "network_error" } });
    expect(await level(sku)).toMatchObject({ onHand: 5, reserved: 0 });
    const detail = await (await p.api(`/api/v1/admin/payments/${body.payment!.id}`, { admin: true, tenant: STORE })).json();
    expect(detail.attempts.length).toBeGreaterThan(1);
  });

  it("a payment needing the shopper: the order waits with payment.nextAction, stock held, and is paid once confirmed", async () => {
    const sku = await product("Action mug", 5);
    const body = CheckoutResult.parse(await (await checkout(await cart(sku), CARDS.action, "action-key-1")).json());
    expect(body.status).toBe("payment_pending");
    expect(body.payment?.nextAction?.url).toContain("3ds");
    expect(await level(sku)).toMatchObject({ onHand: 5, reserved: 1 });
    // The shopper completes the extra step: the payment service's event settles the order.
    const payments = createServiceClient({ service: "payment", target: target("payment"), secret: TEST_SECRET });
    await payments.call(`/internal/payments/${body.payment!.id}/confirm`, { tenant: { tenantId, slug: STORE }, body: {} });
    let status = "";
    for (let i = 0; i < 100 && status !== "paid"; i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = (await order(body.orderId)).status;
    }
    expect(status).toBe("paid");
    expect(await level(sku)).toMatchObject({ onHand: 4, reserved: 0 });
  });

  it("a refund the provider reports (a dashboard refund, by webhook) reaches the order once; the merchant's own refund is not counted twice", async () => {
    const sku = await product("Refunded mug", 10);
    const placed = CheckoutResult.parse(await (await checkout(await cart(sku, 2), CARDS.ok)).json());
    expect(placed.status).toBe("paid");
    // The merchant refunds part of it through the order: applied once, whatever the event does later.
    const partial = await p.api(`/api/v1/admin/orders/${placed.orderId}/refund`, { method: "POST", admin: true, tenant: STORE, body: JSON.stringify({ amount: 500 }) });
    expect(partial.status, await partial.clone().text()).toBe(200);
    expect(await order(placed.orderId)).toMatchObject({ status: "partially_refunded", refundedAmount: 500 });
    // Then the rest is refunded in the provider's dashboard, and its webhook arrives (three times).
    const payment = await (await p.api(`/api/v1/admin/payments/${placed.payment!.id}`, { admin: true, tenant: STORE })).json();
    const hook = JSON.stringify({ id: `evt_dash_${placed.orderId}`, type: "refund.processed", ref: payment.providerRef, status: "refunded" });
    const signature = createHmac("sha256", "test").update(hook).digest("hex");
    for (let i = 0; i < 3; i++) {
      const res = await p.gateway.app.request(`/webhooks/test/${STORE}`, { method: "POST", headers: { "content-type": "application/json", "x-test-signature": signature }, body: hook });
      expect(res.status, await res.clone().text()).toBe(200);
    }
    await eventually(async () => (await order(placed.orderId)).status === "refunded", "the order to follow the provider's refund");
    const o = await order(placed.orderId);
    expect(o).toMatchObject({ status: "refunded", refundedAmount: o.total });
    expect(o.history.map((h) => h.to)).toEqual(["created", "stock_reserved", "paid", "partially_refunded", "refunded"]);
  });

  it("refuses empty carts and out-of-stock carts clearly", async () => {
    const empty = await (await p.api("/api/v1/carts", { method: "POST", tenant: STORE })).json();
    const res = await checkout(empty, CARDS.ok);
    expect(res.status).toBe(422);
    const sku = await product("Scarce mug", 1);
    const c = await cart(sku, 2);
    const short = await checkout(c, CARDS.ok);
    expect(short.status).toBe(409);
    expect((await short.json()).code).toBe("out_of_stock");
    expect(await level(sku)).toMatchObject({ onHand: 1, reserved: 0 });
  });

  it("merchant ships, delivers, refunds partly then fully; illegal steps are 409", async () => {
    const sku = await product("Merchant mug", 5);
    const { orderId } = CheckoutResult.parse(await (await checkout(await cart(sku), CARDS.ok, "merchant-key-1")).json());
    const act = (path: string, body?: unknown) => p.api(`/api/v1/admin/orders/${orderId}/${path}`, { method: "POST", admin: true, tenant: STORE, ...(body ? { body: JSON.stringify(body) } : {}) });
    expect((await act("deliver")).status).toBe(409);
    const shipped = await act("ship", { carrier: "UPS", trackingNumber: "1Z999" });
    expect(shipped.status, await shipped.clone().text()).toBe(200);
    expect((await shipped.json()).trackingNumber).toBe("1Z999");
    expect((await act("deliver")).status).toBe(200);
    const part = await act("refund", { amount: 300 });
    expect(part.status, await part.clone().text()).toBe(200);
    expect(await part.json()).toMatchObject({ status: "partially_refunded", refundedAmount: 300 });
    expect((await act("refund", { amount: 10_000 })).status).toBe(409);
    const full = await act("refund");
    expect(await full.json()).toMatchObject({ status: "refunded", refundedAmount: 1600 });
    expect((await act("cancel")).status).toBe(409);
    const list = await p.api("/api/v1/admin/orders?status=refunded", { admin: true, tenant: STORE });
    expect((await list.json()).items.map((o: { id: string }) => o.id)).toContain(orderId);
  });

  it("200 concurrent checkouts for a SKU with 50 in stock: exactly 50 paid, 150 out of stock, stock 0", async () => {
    const sku = await product("Rush mug", 50);
    const carts = await Promise.all(Array.from({ length: 200 }, () => cart(sku)));
    const answers = await Promise.all(carts.map(async (c, i) => {
      const res = await checkout(c, CARDS.ok, `rush-key-${i}-0000`);
      return { status: res.status, body: await res.json() };
    }));
    const paid = answers.filter((a) => a.status === 201 && a.body.status === "paid");
    const short = answers.filter((a) => a.status === 409 && a.body.code === "out_of_stock");
    expect(paid).toHaveLength(50);
    expect(short).toHaveLength(150);
    expect(await level(sku)).toMatchObject({ onHand: 0, reserved: 0 });
  }, 120_000);

  it("crashes between steps: a new instance on the same database completes or compensates every order", async () => {
    const crash = async (name: string, step: string, card: string) => {
      const sku = await product(name, 3);
      crashAt = step;
      const res = await checkout(await cart(sku), card, `crash-${name.replace(/ /g, "-")}-key`);
      crashAt = undefined;
      expect(res.status).toBe(500);
      const list = await (await p.api("/api/v1/admin/orders?limit=1", { admin: true, tenant: STORE })).json();
      expect(list.items[0].status).toBe(step);
      return { sku, id: list.items[0].id as string };
    };
    const afterReserve = await crash("Crash mug", "stock_reserved", CARDS.ok);
    expect(await level(afterReserve.sku)).toMatchObject({ onHand: 3, reserved: 1 });
    const afterCreate = await crash("Early crash mug", "created", CARDS.ok);
    const declined = await crash("Crash decline mug", "stock_reserved", CARDS.declined);
    await p.services.order!.stop();
    await new Promise((r) => setTimeout(r, 400));
    const bus = new InProcessBus();
    const next: OrderHandle = createOrder({ ...orderDeps({ logger: silentLogger(), database: p.databases.order!, bus, secret: TEST_SECRET }), order: { recoveryIntervalMs: 0 } });
    await next.start();
    try {
      await next.recovery.tick();
      const read = async (id: string) => {
        const res = await next.app.request(`/api/v1/admin/orders/${id}`, { headers: signTenantHeaders(TEST_SECRET, { tenantId, slug: STORE }, { sub: "acc_owner", realm: STORE, roles: ["owner"] }) });
        return OrderDetail.parse(await res.json());
      };
      for (const done of [afterReserve, afterCreate]) {
        const o = await read(done.id);
        expect(o.status).toBe("paid");
        expect(o.history.at(-1)).toMatchObject({ to: "paid", actor: "recovery" });
        expect(await level(done.sku)).toMatchObject({ onHand: 2, reserved: 0 });
      }
      expect((await read(declined.id)).status).toBe("payment_failed");
      expect(await level(declined.sku)).toMatchObject({ onHand: 3, reserved: 0 });
    } finally {
      await next.stop();
      await bus.close();
    }
  });
});
