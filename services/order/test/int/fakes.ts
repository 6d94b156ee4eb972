import { Hono } from "hono";
import { expect } from "vitest";
import { CheckoutResult, OrderDetail, type OrderStatus } from "@bazaar/contracts";
import type { Database } from "@bazaar/service-kit/db";
import { InProcessBus } from "@bazaar/service-kit/events";
import { createId } from "@bazaar/service-kit/ids";
import { internalHeaders, signTenantHeaders } from "@bazaar/service-kit/tenancy";
import { freshDatabase, silentLogger, TEST_SECRET } from "@bazaar/service-kit/testing";
import { createService, type OrderHandle, type OrderOptions } from "../../src/app.ts";

/**
 * The order service on real Postgres against stateful fakes of the cart, inventory and payment
 * services that keep the books the real ones keep (on hand and reserved per SKU, reservations by
 * order held -> committed | released | expired, payments with refunded amounts and voids) and refuse
 * what they refuse (409 on a refund larger than what is left, on releasing a committed reservation,
 * on committing an expired one, on voiding a settled payment). A clock the tests move drives the
 * order service's recovery job and the reservations' expiry.
 */
export const CARDS = { ok: "4242424242424242", declined: "4000000000000002", action: "4000002500003155" } as const;
export const SKU = "FAKE-1";
const UNIT_PRICE = 1000;

type ReservationState = "held" | "committed" | "released" | "expired";
interface FakeReservation {
  orderId: string;
  status: ReservationState;
  lines: { sku: string; quantity: number }[];
  expiresAt: Date;
}
interface FakePayment {
  id: string;
  orderId: string;
  key: string;
  status: "succeeded" | "requires_action" | "failed" | "partially_refunded" | "refunded" | "voided";
  amount: number;
  refundedAmount: number;
  refundKeys: Set<string>;
}

export interface Books {
  stock: Map<string, { onHand: number; reserved: number }>;
  reservations: Map<string, FakeReservation>;
  payments: Map<string, FakePayment>;
  /** Every call the fakes answered, `release ord_...`, `void pay_...`, `refund pay_... 700`. */
  calls: string[];
}

const problem = (status: number, code: string, detail: string) => ({ type: `https://bazaar.dev/problems/${code}`, title: code, status, code, detail });

function fakes(clock: () => Date, quantity: number) {
  const books: Books = { stock: new Map([[SKU, { onHand: 1000, reserved: 0 }]]), reservations: new Map(), payments: new Map(), calls: [] };
  const iso = (d: Date) => d.toISOString();
  const cartBody = (id: string) => ({
    id, version: 1, currency: "USD", hasWarnings: false, owned: false, updatedAt: iso(clock()), expiresAt: iso(clock()),
    totals: { quantity, subtotal: quantity * UNIT_PRICE },
    lines: [{ sku: SKU, productId: "prod_1", slug: "fake", name: "Fake", options: {}, image: null, quantity, unitPrice: UNIT_PRICE, previousUnitPrice: null, currency: "USD", lineTotal: quantity * UNIT_PRICE, available: 10, purchasable: true, warnings: [] }],
  });
  const cart = new Hono().get("/api/v1/carts/:id", (c) => c.json(cartBody(c.req.param("id")))).delete("/api/v1/carts/:id/items/:sku", (c) => c.json(cartBody(c.req.param("id"))));

  const reservation = (r: FakeReservation) => ({ orderId: r.orderId, status: r.status, lines: r.lines.map((l) => ({ ...l, location: "default" })), expiresAt: iso(r.expiresAt), createdAt: iso(clock()), updatedAt: iso(clock()) });
  const level = (sku: string) => books.stock.get(sku) ?? { onHand: 0, reserved: 0 };
  /** The real service's expiry job, run lazily: held reservations past their expiry give their units back. */
  const expire = () => {
    for (const r of books.reservations.values()) {
      if (r.status !== "held" || r.expiresAt > clock()) continue;
      r.status = "expired";
      for (const l of r.lines) level(l.sku).reserved -= l.quantity;
    }
  };
  const inventory = new Hono()
    .post("/internal/inventory/reservations", async (c) => {
      expire();
      const body = (await c.req.json()) as { orderId: string; lines: { sku: string; quantity: number }[]; ttlSeconds: number };
      books.calls.push(`reserve ${body.orderId}`);
      const seen = books.reservations.get(body.orderId);
      if (seen) return c.json(reservation(seen), 200);
      for (const l of body.lines) {
        const s = level(l.sku);
        if (s.onHand - s.reserved < l.quantity) return c.json({ ...problem(409, "out_of_stock", "Not enough stock."), errors: [{ path: `lines.0`, message: "insufficient_stock" }] }, 409);
      }
      for (const l of body.lines) books.stock.set(l.sku, { ...level(l.sku), reserved: level(l.sku).reserved + l.quantity });
      const r: FakeReservation = { orderId: body.orderId, status: "held", lines: body.lines, expiresAt: new Date(clock().getTime() + body.ttlSeconds * 1000) };
      books.reservations.set(body.orderId, r);
      return c.json(reservation(r), 201);
    })
    .post("/internal/inventory/reservations/:id/commit", (c) => {
      expire();
      const r = books.reservations.get(c.req.param("id"));
      books.calls.push(`commit ${c.req.param("id")}`);
      if (!r) return c.json(problem(404, "not_found", "No such reservation."), 404);
      if (r.status === "released" || r.status === "expired") return c.json(problem(409, "conflict", `The reservation is ${r.status}.`), 409);
      if (r.status === "held") {
        r.status = "committed";
        for (const l of r.lines) books.stock.set(l.sku, { onHand: level(l.sku).onHand - l.quantity, reserved: level(l.sku).reserved - l.quantity });
      }
      return c.json(reservation(r), 200);
    })
    .post("/internal/inventory/reservations/:id/release", (c) => {
      expire();
      const r = books.reservations.get(c.req.param("id"));
      books.calls.push(`release ${c.req.param("id")}`);
      if (!r) return c.json(problem(404, "not_found", "No such reservation."), 404);
      if (r.status === "committed") return c.json(problem(409, "conflict", "A committed reservation cannot be released."), 409);
      if (r.status === "held") {
        r.status = "released";
        for (const l of r.lines) level(l.sku).reserved -= l.quantity;
      }
      return c.json(reservation(r), 200);
    });

  const payment = (p: FakePayment) => ({
    id: p.id, orderId: p.orderId, provider: "test", status: p.status, amount: p.amount, refundedAmount: p.refundedAmount, currency: "USD", providerRef: `ref_${p.id}`,
    failureCode: p.status === "failed" ? "card_declined" : null, failureReason: null,
    nextAction: p.status === "requires_action" ? { type: "redirect", url: `https://test-gateway.invalid/3ds/${p.id}` } : null,
    createdAt: iso(clock()), updatedAt: iso(clock()),
  });
  const pay = new Hono()
    .post("/internal/payments", async (c) => {
      const body = (await c.req.json()) as { orderId: string; amount: number; method: { card?: string }; idempotencyKey: string };
      books.calls.push(`pay ${body.orderId}`);
      const seen = [...books.payments.values()].find((p) => p.key === body.idempotencyKey);
      if (seen) return c.json(payment(seen), 200);
      const status = body.method.card === CARDS.action ? "requires_action" : body.method.card === CARDS.declined ? "failed" : "succeeded";
      const p: FakePayment = { id: createId("payment"), orderId: body.orderId, key: body.idempotencyKey, status, amount: body.amount, refundedAmount: 0, refundKeys: new Set() };
      books.payments.set(p.id, p);
      return c.json(payment(p), 200);
    })
    .post("/internal/payments/:id/refund", async (c) => {
      const p = books.payments.get(c.req.param("id"));
      if (!p) return c.json(problem(404, "not_found", "No such payment."), 404);
      const body = (await c.req.json()) as { amount?: number; idempotencyKey?: string };
      if (body.idempotencyKey && p.refundKeys.has(body.idempotencyKey)) return c.json(payment(p), 200);
      if (p.status !== "succeeded" && p.status !== "partially_refunded") return c.json(problem(409, "conflict", `A ${p.status} payment cannot be refunded.`), 409);
      const amount = body.amount ?? p.amount - p.refundedAmount;
      if (amount > p.amount - p.refundedAmount) return c.json(problem(409, "conflict", "More than what is left."), 409);
      books.calls.push(`refund ${p.id} ${amount}`);
      if (body.idempotencyKey) p.refundKeys.add(body.idempotencyKey);
      p.refundedAmount += amount;
      p.status = p.refundedAmount >= p.amount ? "refunded" : "partially_refunded";
      return c.json(payment(p), 200);
    })
    .post("/internal/payments/:id/void", (c) => {
      const p = books.payments.get(c.req.param("id"));
      if (!p) return c.json(problem(404, "not_found", "No such payment."), 404);
      books.calls.push(`void ${p.id}`);
      if (p.status !== "requires_action" && p.status !== "voided") return c.json(problem(409, "conflict", `A ${p.status} payment cannot be voided.`), 409);
      p.status = "voided";
      return c.json(payment(p), 200);
    });
  return { books, cart, inventory, pay, expire };
}

export interface Harness {
  service: OrderHandle;
  database: Database;
  books: Books;
  store: { tenantId: string; slug: string };
  /** Move the order service's (and the fake reservations') clock on. */
  advance(ms: number): void;
  checkout(card: string, key?: string): Promise<CheckoutResult>;
  /** A merchant action as the store's owner. */
  act(id: string, action: "ship" | "deliver" | "cancel" | "refund", body?: unknown): Promise<Response>;
  read(id: string): Promise<OrderDetail>;
  /** The order's events in the outbox, oldest first. */
  events(id: string): Promise<{ type: string; data: { status: OrderStatus; reason?: string; refundedAmount?: number } }[]>;
  level(): { onHand: number; reserved: number };
  paymentOf(order: { paymentId: string | null }): { status: string; amount: number; refundedAmount: number };
  close(): Promise<void>;
}

/** A fresh order service with its own database and store; `quantity` units of FAKE-1 (1000 each) per checkout. */
export async function orderHarness(opts: { slug: string; quantity?: number; order?: OrderOptions }): Promise<Harness> {
  let offset = 0;
  const clock = () => new Date(Date.now() + offset);
  const f = fakes(clock, opts.quantity ?? 2);
  const database = await freshDatabase("order");
  const bus = new InProcessBus();
  const service = createService({
    logger: silentLogger(), database, bus, secret: TEST_SECRET, clock, relay: { pollMs: 50 },
    cart: { app: f.cart }, inventory: { app: f.inventory }, payment: { app: f.pay },
    order: { recoveryIntervalMs: 0, ...opts.order },
  });
  await service.start();
  const store = { tenantId: createId("tenant"), slug: opts.slug };
  const owner = { sub: "acc_owner", realm: store.slug, roles: ["owner" as const] };
  const provisioned = await service.app.request("/internal/tenants/provision", { method: "POST", headers: { ...internalHeaders(TEST_SECRET), "content-type": "application/json" }, body: JSON.stringify(store) });
  expect(provisioned.status).toBe(200);
  const admin = (extra: Record<string, string> = {}) => ({ ...signTenantHeaders(TEST_SECRET, store, owner), ...extra });
  // Shipping 500 and 10 % tax: a checkout of two units is 2000 + 500 + 200 = 2700.
  const settings = await service.app.request("/api/v1/admin/orders/settings", { method: "PUT", headers: admin({ "content-type": "application/json" }), body: JSON.stringify({ flatShipping: 500, taxRateBps: 1000 }) });
  expect(settings.status).toBe(200);
  let keys = 0;
  return {
    service,
    database,
    books: f.books,
    store,
    advance: (ms) => void (offset += ms),
    async checkout(card, key = `${opts.slug}-key-${++keys}-${Date.now()}`) {
      const res = await service.app.request("/api/v1/checkout", {
        method: "POST",
        headers: { ...signTenantHeaders(TEST_SECRET, store), "content-type": "application/json", "idempotency-key": key, "x-cart-token": "t" },
        body: JSON.stringify({ cartId: `cart_${"0".repeat(26)}`, email: "a@b.test", shippingAddress: { name: "A", line1: "1 St", city: "C", postalCode: "1", country: "US" }, paymentMethod: { provider: "test", card } }),
      });
      expect(res.status, await res.clone().text()).toBe(201);
      return CheckoutResult.parse(await res.json());
    },
    act: async (id, action, body) =>
      service.app.request(`/api/v1/admin/orders/${id}/${action}`, { method: "POST", headers: admin(body === undefined ? {} : { "content-type": "application/json" }), ...(body === undefined ? {} : { body: JSON.stringify(body) }) }),
    async read(id) {
      const res = await service.app.request(`/api/v1/admin/orders/${id}`, { headers: admin() });
      expect(res.status).toBe(200);
      return OrderDetail.parse(await res.json());
    },
    async events(id) {
      const rows = await database.sql<{ envelope: { type: string; data: { status: OrderStatus; reason?: string; refundedAmount?: number } } }[]>`
        select envelope from public.bazaar_outbox where envelope->'data'->>'orderId' = ${id} order by seq`;
      return rows.map((r) => ({ type: r.envelope.type, data: r.envelope.data }));
    },
    level: () => {
      f.expire();
      return { ...f.books.stock.get(SKU)! };
    },
    paymentOf(order) {
      const p = order.paymentId ? f.books.payments.get(order.paymentId) : undefined;
      expect(p, `payment of the order (${order.paymentId})`).toBeDefined();
      return { status: p!.status, amount: p!.amount, refundedAmount: p!.refundedAmount };
    },
    async close() {
      await service.stop();
      await bus.close();
      await database.close();
    },
  };
}
