import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ACCESS as CATALOG } from "@bazaar/catalog/access";
import { ACCESS as TENANT } from "@bazaar/tenant/access";
import { ACCESS as IDENTITY } from "@bazaar/identity/access";
import { ACCESS as CART } from "@bazaar/cart/access";
import { ACCESS as INVENTORY } from "@bazaar/inventory/access";
import { ACCESS as PAYMENT } from "@bazaar/payment/access";
import { ACCESS as ORDER } from "@bazaar/order/access";
import { ACCESS as NOTIFICATION } from "@bazaar/notification/access";
import type { Role } from "@bazaar/contracts";
import type { AccessTable } from "@bazaar/service-kit/access";
import { createECDH, createHmac, randomBytes } from "node:crypto";
import { createServiceClient } from "@bazaar/service-kit/clients";
import { eventually, TEST_SECRET } from "@bazaar/service-kit/testing";
import { testPlatform } from "./harness.ts";

/**
 * The access matrix, generated from the services' own route tables: every route x every role x
 * own store / other store / no token gives the expected status, and no answer carries the other
 * store's data.
 */
/**
 * Provider webhooks are in no service's access table: they carry no caller, only the provider's
 * signature (verified by the payment service), so every caller with a valid signature gets a 200.
 */
const WEBHOOKS = { "POST /webhooks/{provider}/{storeSlug}": "public" } as const satisfies AccessTable;
const TABLES: AccessTable[] = [CATALOG, TENANT, IDENTITY, CART, INVENTORY, PAYMENT, ORDER, NOTIFICATION, WEBHOOKS];
const STORE_ROLES: Role[] = ["shopper", "owner", "manager", "viewer"];
type Caller = { label: string; realm: string | null; role: Role | null };
const CALLERS: Caller[] = [
  { label: "no token", realm: null, role: null },
  ...STORE_ROLES.flatMap((role) => [
    { label: `own-store ${role}`, realm: "matrix-a", role },
    { label: `other-store ${role}`, realm: "matrix-b", role },
  ]),
  { label: "operator", realm: "platform", role: "operator" },
];

/** A one-product import; importing it again updates the same product. */
const MATRIX_IMPORT = { slug: "matrix-import", name: "Matrix import", currency: "USD", variants: [{ sku: "MATRIX-IMPORT", price: 1 }] };

const SHIP = { carrier: "UPS", trackingNumber: "1ZMATRIX" };
const checkoutBody = (cartId: string) => ({
  cartId,
  email: "guest@matrix.test",
  shippingAddress: { name: "Matrix Guest", line1: "1 Main St", city: "Springfield", postalCode: "12345", country: "US" },
  paymentMethod: { provider: "test", card: "4242424242424242" },
});
/** A browser's `PushSubscription.toJSON()`: an https endpoint and real P-256 / auth keys. */
const pushSubscription = (endpoint: string, marketing = false) => {
  const ecdh = createECDH("prime256v1");
  ecdh.generateKeys();
  return { endpoint, expirationTime: null, keys: { p256dh: ecdh.getPublicKey().toString("base64url"), auth: randomBytes(16).toString("base64url") }, marketing };
};
/** A campaign by email, the one channel on by default. */
const campaignBody = (name: string) => ({ name, channels: ["email"], email: { subject: `${name} at {{store.name}}`, html: "<p>Hi {{recipient.address}}</p>", text: "Hi {{recipient.address}}" } });
/** The notification schema of a store (the kit's `t_<id without ten_>`). */
const schemaOf = (tenantId: string) => `t_${tenantId.slice(4)}`;
interface MatrixOrder {
  id: string;
  /** The checkout's order access token (`X-Order-Token`). */
  token: string;
}

describe("access matrix from the route tables", () => {
  let p: Awaited<ReturnType<typeof testPlatform>>;
  const tokens = new Map<string, string>();
  let productId = "";
  let edition = 0;
  let tenantAId = "";
  let importId = "";
  let paymentId = "";
  /** A paid order of store A that only reads target (its guest token opens the shopper's page). */
  let readOrder: MatrixOrder = { id: "", token: "" };
  /** A message of store A's delivery log (the resend and detail routes' target). */
  let deliveryId = "";
  /** Path and query of the unsubscribe link store A's campaign mailed to its shopper. */
  let unsubscribe = "";

  beforeAll(async () => {
    p = await testPlatform();
    for (const slug of ["matrix-a", "matrix-b"]) {
      const res = await p.api("/api/v1/platform/tenants", {
        method: "POST",
        admin: true,
        body: JSON.stringify({ slug, name: slug, ownerEmail: `owner@${slug}.test`, plan: "starter", currency: "USD" }),
      });
      const t = await res.json();
      if (slug === "matrix-a") tenantAId = t.id;
    }
    const created = await p.api("/api/v1/admin/products", { method: "POST", admin: true, tenant: "matrix-a", body: JSON.stringify({
        name: "Matrix A secret",
        currency: "USD",
        options: [{ name: "edition", values: Array.from({ length: 50 }, (_, i) => `e${i}`) }],
        variants: [{ sku: "MATRIX-1", options: { edition: "e0" }, price: 100 }],
      }) });
    productId = (await created.json()).id;
    for (const [path, body] of [
      ["/api/v1/admin/categories", { name: "Matrix category", slug: "matrix-cat" }],
      ["/api/v1/admin/brands", { name: "Matrix brand", slug: "matrix-brand" }],
      ["/api/v1/admin/attributes", { code: "matrix_attr", name: "Matrix attribute", type: "text" }],
    ] as const) {
      expect((await p.api(path, { method: "POST", admin: true, tenant: "matrix-a", body: JSON.stringify(body) })).status).toBe(201);
    }
    // Carts hold this SKU: plenty of stock for every case that adds it.
    const cartProduct = await p.api("/api/v1/admin/products", { method: "POST", admin: true, tenant: "matrix-a", body: JSON.stringify({ name: "Matrix cart", currency: "USD", price: 100, stock: 100_000 }) });
    expect(cartProduct.status).toBe(201);
    const imported = await p.api("/api/v1/admin/imports", { method: "POST", admin: true, tenant: "matrix-a", body: JSON.stringify([MATRIX_IMPORT]) });
    expect(imported.status).toBe(201);
    importId = (await imported.json()).id;
    // A payment of store A (as the order service takes one) for the payment detail route.
    const payments = createServiceClient({ service: "payment", target: { app: p.services.payment!.app }, secret: TEST_SECRET });
    const payment = await payments.call("/internal/payments", {
      tenant: { tenantId: tenantAId, slug: "matrix-a" },
      body: { orderId: "ord_matrix", amount: 100, currency: "USD", method: { provider: "test", card: "4242424242424242" }, idempotencyKey: "matrix-payment-1" },
    });
    paymentId = (payment as { id: string }).id;
    // Inventory routes read and change the stock of MATRIX-1.
    expect((await p.api("/api/v1/admin/inventory/MATRIX-1", { method: "PUT", admin: true, tenant: "matrix-a", body: JSON.stringify({ onHand: 100_000 }) })).status).toBe(200);
    // Checkouts (the checkout route's cases and every order fixture) buy the cart SKU.
    expect((await p.api("/api/v1/admin/inventory/MATRIX-CART", { method: "PUT", admin: true, tenant: "matrix-a", body: JSON.stringify({ onHand: 100_000 }) })).status).toBe(200);
    readOrder = await placeOrder();
    const identity = createServiceClient({ service: "identity", target: { app: p.services.identity!.app }, secret: TEST_SECRET });
    for (const caller of CALLERS) {
      if (!caller.realm || !caller.role) continue;
      const email = `${caller.role}@${caller.realm}.test`;
      await identity.call(`/internal/realms/${caller.realm}/accounts`, { method: "POST", body: { email, password: "matrix-password-1", roles: [caller.role] } });
      const res = await p.gateway.app.request(`/auth/realms/${caller.realm}/protocol/openid-connect/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "password", client_id: "admin", username: email, password: "matrix-password-1" }),
      });
      expect(res.status).toBe(200);
      tokens.set(caller.label, ((await res.json()) as { access_token: string }).access_token);
    }
    // Notifications: store A's shopper opts in to promotions by email and a campaign mails them its
    // unsubscribe link (into the dev mailbox); the order confirmations give a delivery to resend.
    expect((await as("own-store shopper", "POST", "/api/v1/notifications/consents", { channel: "email", optIn: true })).status).toBe(200);
    const campaign = await p.api("/api/v1/admin/notifications/campaigns", { method: "POST", admin: true, tenant: "matrix-a", body: JSON.stringify(campaignBody("Matrix A secret campaign")) });
    expect(campaign.status, await campaign.clone().text()).toBe(201);
    expect((await campaign.json()).recipients).toBe(1);
    unsubscribe = await eventually(async () => {
      const mails = (await (await p.api("/api/v1/admin/mailbox?to=shopper%40matrix-a.test", { admin: true, tenant: "matrix-a" })).json()) as { items: { text: string | null }[] };
      const link = mails.items.map((m) => /Unsubscribe: (\S+)/.exec(m.text ?? "")?.[1]).find(Boolean);
      return link ? `${new URL(link).pathname}${new URL(link).search}` : undefined;
    }, "the campaign's mail with its unsubscribe link", 15_000);
    deliveryId = await eventually(async () => ((await (await p.api("/api/v1/admin/notifications/deliveries", { admin: true, tenant: "matrix-a" })).json()) as { items: { id: string }[] }).items[0]?.id, "a delivery in store A's log", 15_000);
  });

  /** A request as one of the matrix's callers (its token), naming a store. */
  async function as(label: string, method: string, path: string, body?: unknown, store = "matrix-a") {
    const token = tokens.get(label);
    return p.gateway.app.request(path, {
      method,
      headers: { "x-tenant": store, ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { "content-type": "application/json" } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  }
  afterAll(() => p?.stop());

  it("the gateway's merged OpenAPI document describes every route of the tables", async () => {
    const res = await p.gateway.app.request("/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { paths: Record<string, Record<string, unknown>> };
    const missing = TABLES.filter((t) => t !== WEBHOOKS).flatMap((t) => Object.keys(t)).filter((route) => {
      const [method, template] = route.split(" ") as [string, string];
      return !doc.paths[template]?.[method.toLowerCase()];
    });
    expect(missing).toEqual([]);
  });

  // The public webhook URL that docs/api.md lists is in `/openapi.json` (the merge once kept only `/api/` and `/auth/`).
  it("the merged OpenAPI document describes the provider webhook route", async () => {
    const doc = (await (await p.gateway.app.request("/openapi.json")).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(doc.paths["/webhooks/{provider}/{storeSlug}"]?.post).toBeDefined();
  });

  const cases = TABLES.flatMap((table) => Object.entries(table)).flatMap(([route, access]) => CALLERS.map((caller) => ({ route, access, caller })));

  function expected(route: string, access: AccessTable[string], caller: Caller): number[] {
    if (route in WEBHOOKS) return [200]; // no caller at all: a bearer token, any token, is ignored
    const platform = route.includes("/platform/");
    if (platform) return caller.role === null ? [401] : caller.role === "operator" ? [200, 201] : [403];
    if (caller.realm === "matrix-b") return [403]; // a token for another store is refused everywhere
    if (caller.role === "operator") return [403]; // an operator token is not a store token
    if (access === "public") return [200, 201];
    if (caller.role === null) return [401];
    if (access === "authenticated") return [200, 201];
    return (access as readonly Role[]).includes(caller.role) ? [200, 201] : [403];
  }

  it.each(cases.map((c) => [c.route, c.caller.label, c]))("%s as %s", async (_r, _l, { route, access, caller }) => {
    const [method, template] = route.split(" ") as [string, string];
    // DELETE of the store itself is exercised last by nobody: keep the matrix's own store alive.
    // Each route gets a target of its own kind; DELETE targets things that do not exist (404 is
    // its success here) so the fixtures stay for the routes after it.
    const del = method === "DELETE";
    // Cart routes: a fresh guest cart per case holding one line, reached with its token (a public
    // route is open to everyone holding the token; merge also needs a signed-in caller).
    const cart = template.startsWith("/api/v1/carts/") || template === "/api/v1/checkout" ? await guestCart() : undefined;
    // Order actions change their order: each case acts on a fresh one in the status the action
    // needs (shipped to deliver, paid otherwise); reads share one paid order.
    const action = /\/orders\/\{id\}\/(ship|deliver|cancel|refund)$/.exec(template)?.[1];
    const order = template.includes("/orders/{id}") ? (action ? await placeOrder(action === "deliver" ? "shipped" : "paid") : readOrder) : undefined;
    const target = template.includes("/categories/")
      ? del ? "no-such-category" : "matrix-cat"
      : template.includes("/brands/")
        ? del ? "no-such-brand" : "matrix-brand"
        : del && !template.includes("/variants/") ? "prod_00000000000000000000000000" : productId;
    const notifications = template.startsWith("/api/v1/admin/notifications/") || template.startsWith("/api/v1/notifications/") || template.startsWith("/api/v1/push/");
    // A message being sent right now refuses a resend (409): let the previous case's resend go out first.
    if (template.endsWith("/resend")) {
      await eventually(async () => ((await (await p.api(`/api/v1/admin/notifications/deliveries/${deliveryId}`, { admin: true, tenant: "matrix-a" })).json()) as { status: string }).status !== "queued", "the previous resend to be sent", 15_000);
    }
    const path = template === "/api/v1/notifications/unsubscribe" ? unsubscribe : (cart && template !== "/api/v1/checkout" ? template.replace("{id}", cart.id).replace("{sku}", del ? "NO-SUCH-SKU" : "MATRIX-CART") : template)
      .replace("{idOrSlug}", target)
      .replace("{code}", del ? "no_such_attr" : "matrix_attr")
      .replace("{sku}", del ? "NO-SUCH-SKU" : "MATRIX-1")
      .replace("/search/suggest", "/search/suggest?q=matrix")
      .replace("{kind}", "apparel")
      .replace("{file}", "0-210.svg")
      .replace("{provider}", "test")
      .replace("{storeSlug}", "matrix-a")
      .replace("{key}", "order_shipped")
      .replace("{id}", order ? order.id : template.includes("/deliveries/") ? deliveryId : template.includes("/payments/") ? paymentId : template.includes("/imports/") ? importId : method === "DELETE" ? "ten_00000000000000000000000001" : tenantAId)
      .replace("{accountId}", "acc_00000000000000000000000000");
    const bodies: Record<string, unknown> = {
      "POST /api/v1/admin/products": { name: `P ${caller.label} ${Math.random()}`, price: 1, currency: "USD" },
      "POST /api/v1/platform/tenants": { slug: "matrix-a", name: "matrix-a", ownerEmail: "owner@matrix-a.test", plan: "starter", currency: "USD" },
      "PATCH /api/v1/platform/tenants/{id}": { name: "matrix-a" },
      "POST /api/v1/admin/categories": { name: `C ${Math.random().toString(36).slice(2)}` },
      "POST /api/v1/admin/brands": { name: `B ${Math.random().toString(36).slice(2)}` },
      "PATCH /api/v1/admin/products/{idOrSlug}": { description: `changed by ${caller.label}` },
      "POST /api/v1/admin/products/{idOrSlug}/variants": { sku: `M-${Math.random().toString(36).slice(2)}`, options: { edition: `e${route === "POST /api/v1/admin/products/{idOrSlug}/variants" ? ++edition : 0}` }, price: 1 },
      "PATCH /api/v1/admin/products/{idOrSlug}/variants/{sku}": { stock: 5 },
      "PATCH /api/v1/admin/categories/{idOrSlug}": { position: 1 },
      "PATCH /api/v1/admin/brands/{idOrSlug}": { name: "Matrix brand" },
      "POST /api/v1/admin/attributes": { code: `a_${Math.random().toString(36).slice(2, 10)}`, name: "A", type: "number" },
      "PATCH /api/v1/admin/attributes/{code}": { name: "Matrix attribute" },
      "POST /api/v1/admin/imports": [MATRIX_IMPORT],
      "POST /api/v1/admin/staff/invitations": { email: `staff-${Math.random().toString(36).slice(2)}@matrix-a.test`, role: "viewer" },
      "POST /api/v1/carts/{id}/items": { sku: "MATRIX-CART", quantity: 1 },
      "PATCH /api/v1/carts/{id}/items/{sku}": { quantity: 2 },
      "PUT /api/v1/admin/payment-gateways/{provider}": { enabled: true },
      "PUT /api/v1/admin/inventory/{sku}": { onHand: 100_000 },
      "POST /api/v1/admin/inventory/{sku}/adjustments": { delta: 1, reason: `matrix ${caller.label}` },
      "PUT /api/v1/admin/inventory/{sku}/threshold": { threshold: 2 },
      "POST /api/v1/carts/{id}/ops": { ops: [{ opId: `op-${Math.random().toString(36).slice(2)}`, kind: "add", sku: "MATRIX-CART", quantity: 1, at: Date.now() }] },
      "POST /api/v1/checkout": cart ? checkoutBody(cart.id) : undefined,
      "PUT /api/v1/admin/orders/settings": { flatShipping: 0, taxRateBps: 0 },
      "POST /api/v1/admin/orders/{id}/ship": SHIP,
      "POST /api/v1/admin/orders/{id}/cancel": { reason: `matrix ${caller.label}` },
      "POST /api/v1/admin/orders/{id}/refund": { amount: 1 },
      "PUT /api/v1/admin/notifications/settings": { throttle: { email: 600 } },
      "PUT /api/v1/admin/notifications/templates/{key}": { emailSubject: `Shipped {{order.number}} (${caller.label})` },
      "POST /api/v1/admin/notifications/templates/{key}/preview": { smsText: "Order {{order.number}}" },
      "POST /api/v1/admin/notifications/campaigns": campaignBody(`Matrix ${caller.label}`),
      "POST /api/v1/push/subscriptions": pushSubscription(`https://push.matrix.test/${Math.random().toString(36).slice(2)}`),
      "DELETE /api/v1/push/subscriptions": { endpoint: "https://push.matrix.test/never-subscribed" },
      "POST /api/v1/notifications/consents": { channel: "sms", address: "+15550100002", optIn: true },
      "POST /webhooks/{provider}/{storeSlug}": { id: `evt_matrix_${Math.random().toString(36).slice(2)}`, type: "matrix.ping" },
    };
    const raw = bodies[route] ? JSON.stringify(bodies[route]) : undefined;
    const token = tokens.get(caller.label);
    const res = await p.gateway.app.request(path, {
      method,
      headers: {
        "x-tenant": "matrix-a",
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(cart ? { "x-cart-token": cart.token } : {}),
        ...(order ? { "x-order-token": order.token } : {}),
        ...(route in WEBHOOKS && raw ? { "x-test-signature": createHmac("sha256", "test").update(raw).digest("hex") } : {}),
        ...(raw ? { "content-type": "application/json" } : {}),
      },
      ...(raw ? { body: raw } : {}),
    });
    const want = expected(route, access, caller);
    if (method === "DELETE" && want.includes(200)) want.push(204, 404); // the store or account named does not exist
    expect(want, `${method} ${path} as ${caller.label}: ${res.status} ${await res.clone().text()}`).toContain(res.status);
    if (res.status >= 400) {
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect(await res.text()).not.toContain("Matrix A secret");
      // A refused action leaves its order as it was.
      if (action && order) expect((await adminOrder("matrix-a", order.id)).status).toBe(action === "deliver" ? "shipped" : "paid");
    } else if (action && order) {
      const moved = { ship: "shipped", deliver: "delivered", cancel: "cancelled", refund: "partially_refunded" }[action];
      const after = await adminOrder("matrix-a", order.id);
      expect(after).toMatchObject({ status: moved, refundedAmount: { cancel: 100, refund: 1 }[action] ?? 0 });
      // The real payment service agrees on the money.
      const payment = await p.api(`/api/v1/admin/payments/${after.paymentId!}`, { admin: true, tenant: "matrix-a" });
      expect(await payment.json()).toMatchObject({ refundedAmount: after.refundedAmount, status: { cancel: "refunded", refund: "partially_refunded" }[action] ?? "succeeded" });
    } else if (route === "POST /api/v1/checkout") {
      expect(((await res.json()) as { status: string }).status).toBe("paid");
    } else if (notifications) {
      // What the notification routes answer on success (docs/notifications.md).
      if (route === "GET /api/v1/notifications/unsubscribe") {
        expect(res.headers.get("content-type")).toContain("text/html");
        expect(await res.text()).toContain('<form method="post"');
      } else if (route === "POST /api/v1/notifications/unsubscribe") {
        expect(await res.json()).toEqual({ channel: "email", address: "shopper@matrix-a.test", optedIn: false });
      } else if (route === "POST /api/v1/admin/notifications/deliveries/{id}/resend") {
        expect(await res.json()).toMatchObject({ id: deliveryId, status: "queued", attempts: 0 });
      } else if (route === "GET /api/v1/admin/notifications/deliveries/{id}") {
        expect(await res.json()).toMatchObject({ id: deliveryId, attemptLog: expect.any(Array) });
      } else if (method === "DELETE" && template === "/api/v1/push/subscriptions") {
        expect(res.status).toBe(204);
      }
    }
  });

  /** A guest checkout of one MATRIX-CART in store A (or B): paid, and shipped when asked. */
  async function placeOrder(status: "paid" | "shipped" = "paid", store = "matrix-a"): Promise<MatrixOrder> {
    const cart = await guestCart(store);
    const res = await p.api("/api/v1/checkout", { method: "POST", tenant: store, headers: { "x-cart-token": cart.token }, body: JSON.stringify(checkoutBody(cart.id)) });
    expect(res.status, await res.clone().text()).toBe(201);
    const placed = (await res.json()) as { orderId: string; accessToken: string; status: string };
    expect(placed.status).toBe("paid");
    if (status === "shipped") {
      const shipped = await p.api(`/api/v1/admin/orders/${placed.orderId}/ship`, { method: "POST", admin: true, tenant: store, body: JSON.stringify(SHIP) });
      expect(shipped.status, await shipped.clone().text()).toBe(200);
    }
    return { id: placed.orderId, token: placed.accessToken };
  }

  /** An order as the platform's admin sees it in a store. */
  async function adminOrder(store: string, id: string): Promise<{ status: string; refundedAmount: number; paymentId: string | null }> {
    const res = await p.api(`/api/v1/admin/orders/${id}`, { admin: true, tenant: store });
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as { status: string; refundedAmount: number; paymentId: string | null };
  }

  async function guestCart(store = "matrix-a"): Promise<{ id: string; token: string }> {
    const res = await p.api("/api/v1/carts", { method: "POST", tenant: store });
    expect(res.status).toBe(201);
    const cart = (await res.json()) as { id: string; token: string };
    const add = await p.api(`/api/v1/carts/${cart.id}/items`, { method: "POST", tenant: store, headers: { "x-cart-token": cart.token }, body: JSON.stringify({ sku: "MATRIX-CART", quantity: 1 }) });
    expect(add.status).toBe(200);
    return cart;
  }

  it("never lets a store's staff or shoppers read or act on the other store's orders and payments", async () => {
    // Store B sells a SKU of the same name: an id or token of one store must mean nothing in the other.
    expect((await p.api("/api/v1/admin/products", { method: "POST", admin: true, tenant: "matrix-b", body: JSON.stringify({ name: "Matrix cart", currency: "USD", price: 100, stock: 100 }) })).status).toBe(201);
    expect((await p.api("/api/v1/admin/inventory/MATRIX-CART", { method: "PUT", admin: true, tenant: "matrix-b", body: JSON.stringify({ onHand: 100 }) })).status).toBe(200);
    const orders = { "matrix-a": await placeOrder(), "matrix-b": await placeOrder("paid", "matrix-b") };
    const payments = { "matrix-a": (await adminOrder("matrix-a", orders["matrix-a"].id)).paymentId!, "matrix-b": (await adminOrder("matrix-b", orders["matrix-b"].id)).paymentId! };
    const sides = [
      { store: "matrix-a", foreign: "matrix-b", prefix: "own-store" },
      { store: "matrix-b", foreign: "matrix-a", prefix: "other-store" },
    ] as const;
    for (const { store, foreign, prefix } of sides) {
      const theirs = orders[foreign];
      for (const role of STORE_ROLES) {
        const headers = { "x-tenant": store, authorization: `Bearer ${tokens.get(`${prefix} ${role}`)!}` };
        const ask = async (method: string, path: string, body?: unknown, extra: Record<string, string> = {}) => {
          const res = await p.gateway.app.request(path, { method, headers: { ...headers, ...extra, ...(body ? { "content-type": "application/json" } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
          return { status: res.status, text: await res.text() };
        };
        const staffOnly = role === "shopper" ? 403 : 404; // a shopper is refused the merchant routes before any lookup
        const editors = role === "owner" || role === "manager" ? 404 : 403;
        const cases: [string, string, unknown, Record<string, string>, number][] = [
          ["GET", `/api/v1/orders/${theirs.id}`, undefined, { "x-order-token": theirs.token }, 404],
          ["GET", `/api/v1/admin/orders/${theirs.id}`, undefined, {}, staffOnly],
          ["GET", `/api/v1/admin/payments/${payments[foreign]}`, undefined, {}, staffOnly],
          ["POST", `/api/v1/admin/orders/${theirs.id}/ship`, SHIP, {}, editors],
          ["POST", `/api/v1/admin/orders/${theirs.id}/deliver`, undefined, {}, editors],
          ["POST", `/api/v1/admin/orders/${theirs.id}/cancel`, { reason: "cross-store" }, {}, editors],
          ["POST", `/api/v1/admin/orders/${theirs.id}/refund`, { amount: 1 }, {}, editors],
        ];
        for (const [method, path, body, extra, want] of cases) {
          const res = await ask(method, path, body, extra);
          expect(res.status, `${method} ${path} in ${store} as ${prefix} ${role}: ${res.text}`).toBe(want);
          // Nothing of theirs comes back (the problem's `instance` echoes the path asked for).
          expect(JSON.stringify({ ...(JSON.parse(res.text) as object), instance: undefined })).not.toContain(theirs.id);
        }
        for (const path of ["/api/v1/admin/orders?limit=100", "/api/v1/admin/payments?limit=100", "/api/v1/orders?limit=100"]) {
          const res = await ask("GET", path);
          expect(res.text, `${path} in ${store} as ${prefix} ${role}`).not.toContain(theirs.id);
          expect(res.text).not.toContain(payments[foreign]);
        }
      }
    }
    for (const store of ["matrix-a", "matrix-b"] as const) expect(await adminOrder(store, orders[store].id)).toMatchObject({ status: "paid", refundedAmount: 0 });
  });

  it("an order's page opens for its token only: no token, or another order's token, is a 404 to every caller", async () => {
    const other = await placeOrder();
    for (const caller of CALLERS.filter((c) => c.realm !== "matrix-b" && c.realm !== "platform")) {
      const token = tokens.get(caller.label);
      for (const orderToken of [undefined, other.token, `${readOrder.token}x`]) {
        const res = await p.gateway.app.request(`/api/v1/orders/${readOrder.id}`, {
          headers: { "x-tenant": "matrix-a", ...(token ? { authorization: `Bearer ${token}` } : {}), ...(orderToken ? { "x-order-token": orderToken } : {}) },
        });
        expect(res.status, `${caller.label} with ${orderToken === undefined ? "no token" : "a wrong token"}`).toBe(404);
        expect(await res.text()).not.toContain("guest@matrix.test");
      }
    }
  });

  it("never lets store B's staff or shoppers read or change store A's notification templates, settings, log, mailbox, campaigns, consents or push subscriptions", async () => {
    const adminA = async (path: string, init: RequestInit = {}) => {
      const res = await p.api(path, { admin: true, tenant: "matrix-a", ...init });
      expect(res.status, `${path}: ${await res.clone().text()}`).toBeLessThan(300);
      return res.status === 204 ? undefined : res.json();
    };
    // Store A's things, each carrying a marker store B must never see.
    await adminA("/api/v1/admin/notifications/templates/stock_low", { method: "PUT", body: JSON.stringify({ emailSubject: "Matrix A secret {{stock.sku}}" }) });
    await adminA("/api/v1/admin/notifications/settings", { method: "PUT", body: JSON.stringify({ sender: { name: "Matrix A secret sender" }, staffEmail: "staff@matrix-a.test", secrets: { sendgridApiKey: "SG.matrix-a-key-Q7Z9" } }) });
    const endpoint = `https://push.matrix.test/a-${Math.random().toString(36).slice(2)}`;
    expect((await as("own-store shopper", "POST", "/api/v1/push/subscriptions", pushSubscription(endpoint, true))).status).toBe(201);
    expect((await as("own-store shopper", "POST", "/api/v1/notifications/consents", { channel: "sms", address: "+15550109999", optIn: true })).status).toBe(200);
    // The unsubscribe link's address (the matrix's POST case opted it out) is opted in again.
    expect((await as("own-store shopper", "POST", "/api/v1/notifications/consents", { channel: "email", optIn: true })).status).toBe(200);
    const campaign = (await adminA("/api/v1/admin/notifications/campaigns", { method: "POST", body: JSON.stringify(campaignBody("Matrix A secret cross-store")) })) as { id: string };
    await p.settle();
    const mailA = ((await adminA("/api/v1/admin/mailbox?limit=100")) as { items: { id: string; deliveryId: string }[] }).items;
    expect(mailA.length).toBeGreaterThan(0);
    const deliveriesA = ((await adminA("/api/v1/admin/notifications/deliveries?limit=100")) as { items: { id: string }[] }).items;
    const foreignIds = [...new Set([...mailA.flatMap((m) => [m.id, m.deliveryId]), ...deliveriesA.map((d) => d.id), campaign.id])];
    const stateA = async () => ({
      template: await adminA("/api/v1/admin/notifications/templates/stock_low"),
      settings: await adminA("/api/v1/admin/notifications/settings"),
      delivery: await adminA(`/api/v1/admin/notifications/deliveries/${deliveryId}`),
      campaigns: await adminA("/api/v1/admin/notifications/campaigns"),
      consents: await adminA("/api/v1/admin/notifications/consents?limit=100"),
      push: await p.databases.notification!.sql`select endpoint, marketing, email from ${p.databases.notification!.sql(schemaOf(tenantAId))}.push_subscriptions where endpoint = ${endpoint}`,
    });
    const before = await stateA();
    expect(before.push).toHaveLength(1);
    for (const role of STORE_ROLES) {
      const label = `other-store ${role}`;
      const staff = role !== "shopper";
      const editor = role === "owner" || role === "manager";
      // Store B's own routes, named by store A's ids: not found (a shopper is refused before any lookup).
      for (const [method, path, want] of [
        ["GET", `/api/v1/admin/notifications/deliveries/${deliveryId}`, staff ? 404 : 403],
        ["POST", `/api/v1/admin/notifications/deliveries/${deliveryId}/resend`, editor ? 404 : 403],
        ["POST", unsubscribe, 404],
      ] as const) {
        const res = await as(label, method, path, undefined, "matrix-b");
        const text = await res.text();
        expect(res.status, `${method} ${path} in matrix-b as ${label}: ${text}`).toBe(want);
        expect(JSON.stringify({ ...(JSON.parse(text) as object), instance: undefined })).not.toContain(deliveryId);
      }
      // Store B's reads show store B's things only.
      for (const path of [
        "/api/v1/admin/notifications/templates",
        "/api/v1/admin/notifications/templates/stock_low",
        "/api/v1/admin/notifications/settings",
        "/api/v1/admin/notifications/deliveries?limit=100",
        "/api/v1/admin/notifications/campaigns",
        "/api/v1/admin/notifications/consents?limit=100",
        "/api/v1/admin/mailbox?limit=100",
        "/api/v1/push/public-key",
      ]) {
        const res = await as(label, "GET", path, undefined, "matrix-b");
        const text = await res.text();
        expect(res.status, `${path} in matrix-b as ${label}: ${text}`).toBe(staff || path.startsWith("/api/v1/push/") ? 200 : 403);
        for (const marker of ["Matrix A secret", "Q7Z9", "staff@matrix-a.test", "+15550109999", "shopper@matrix-a.test", (before.settings as { push: { publicKey: string | null } }).push.publicKey ?? "no key", ...foreignIds]) {
          expect(text, `${path} in matrix-b as ${label} shows store A's ${marker}`).not.toContain(marker);
        }
      }
      // Store B's writes change store B only.
      const writes: [string, string, unknown][] = [
        ["PUT", "/api/v1/admin/notifications/templates/stock_low", { emailSubject: `B ${role} {{stock.sku}}` }],
        ["DELETE", "/api/v1/admin/notifications/templates/stock_low", undefined],
        ["PUT", "/api/v1/admin/notifications/settings", { sender: { name: `B ${role}` }, secrets: { sendgridApiKey: "" } }],
        ["POST", "/api/v1/admin/notifications/campaigns", campaignBody(`B ${role}`)],
        ["POST", "/api/v1/notifications/consents", { channel: "sms", address: "+15550108888", optIn: false }],
        ["POST", "/api/v1/push/subscriptions", pushSubscription(endpoint, false)],
        ["DELETE", "/api/v1/push/subscriptions", { endpoint }],
      ];
      for (const [method, path, body] of writes) {
        const res = await as(label, method, path, body, "matrix-b");
        expect(res.status, `${method} ${path} in matrix-b as ${label}: ${await res.clone().text()}`).toBeLessThan(500);
      }
      // A token of store B naming store A is refused at the door.
      for (const [method, path, body] of [["GET", "/api/v1/admin/mailbox", undefined], ["POST", unsubscribe, undefined], ...writes] as const) {
        expect((await as(label, method, path, body)).status, `${method} ${path} in matrix-a as ${label}`).toBe(403);
      }
    }
    // Anonymous callers in store B: store A's link means nothing there.
    expect((await as("no token", "POST", unsubscribe, undefined, "matrix-b")).status).toBe(404);
    await p.settle();
    expect(await stateA()).toEqual(before);
  });

  it("unsubscribe links: the GET page changes nothing, its POST opts out, a forged or missing token is a problem", async () => {
    const consent = async () => ((await (await p.api("/api/v1/admin/notifications/consents?limit=100", { admin: true, tenant: "matrix-a" })).json()) as { items: { channel: string; address: string; optedIn: boolean }[] }).items.find((c) => c.channel === "email" && c.address === "shopper@matrix-a.test");
    expect((await as("own-store shopper", "POST", "/api/v1/notifications/consents", { channel: "email", optIn: true })).status).toBe(200);
    const page = await as("no token", "GET", unsubscribe);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post"');
    expect(await consent()).toMatchObject({ optedIn: true });
    const tampered = unsubscribe.replace(/.$/, (c) => (c === "A" ? "B" : "A"));
    for (const [method, path, want] of [
      ["POST", tampered, 404],
      ["POST", "/api/v1/notifications/unsubscribe", 422],
      ["GET", "/api/v1/notifications/unsubscribe", 422],
      ["POST", "/api/v1/notifications/unsubscribe?token=short", 422],
      ["POST", `/api/v1/notifications/unsubscribe?token=${"a".repeat(40)}.${"b".repeat(43)}`, 404],
    ] as const) {
      const res = await as("no token", method, path);
      expect(res.status, `${method} ${path}: ${await res.clone().text()}`).toBe(want);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
    }
    expect(await consent()).toMatchObject({ optedIn: true });
    const done = await as("no token", "POST", unsubscribe);
    expect(done.status).toBe(200);
    expect(await consent()).toMatchObject({ optedIn: false, source: "unsubscribe_link" });
    // Opting out again is still a 200 (links in old mails keep working).
    expect((await as("no token", "POST", unsubscribe)).status).toBe(200);
  });

  it("never shows store A's data to store B's callers on its own routes", async () => {
    for (const role of STORE_ROLES) {
      const token = tokens.get(`other-store ${role}`)!;
      for (const path of ["/api/v1/products", `/api/v1/products/${productId}`, "/api/v1/admin/products"]) {
        const res = await p.gateway.app.request(path, { headers: { "x-tenant": "matrix-b", authorization: `Bearer ${token}` } });
        expect(await res.text()).not.toContain("Matrix A secret");
      }
    }
  });
});
