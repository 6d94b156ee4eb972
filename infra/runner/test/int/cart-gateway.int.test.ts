import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { Cart, CartCreated, CartMergeResult } from "@bazaar/contracts";
import { createServiceClient } from "@bazaar/service-kit/clients";
import { TEST_SECRET } from "@bazaar/service-kit/testing";
import { testPlatform } from "./harness.ts";

/**
 * Carts through the gateway: anonymous guest carts with the token header or cookie, a shopper's cart
 * from an OIDC token, merge on login, no caching, another store's callers never see the cart. On
 * the real Redis when TEST_REDIS_URL is set (keys under a prefix of this run, removed afterwards).
 */
const REDIS_URL = process.env.TEST_REDIS_URL;
const PREFIX = `test-gw-cart-${Math.random().toString(36).slice(2, 8)}`;

describe(`carts through the gateway (${REDIS_URL ? "real Redis" : "ioredis-mock"})`, () => {
  let p: Awaited<ReturnType<typeof testPlatform>>;
  const redis = REDIS_URL ? new Redis(REDIS_URL) : undefined;
  let shopperToken = "";

  beforeAll(async () => {
    p = await testPlatform(undefined, { ...(redis ? { redis } : {}), cart: { keyPrefix: PREFIX } });
    for (const slug of ["gw-cart-a", "gw-cart-b"]) {
      const res = await p.api("/api/v1/platform/tenants", { method: "POST", admin: true, body: JSON.stringify({ slug, name: slug, ownerEmail: `owner@${slug}.test`, plan: "starter", currency: "USD" }) });
      expect(res.status).toBe(201);
    }
    const made = await p.api("/api/v1/admin/products", { method: "POST", admin: true, tenant: "gw-cart-a", body: JSON.stringify({ name: "Gateway mug", currency: "USD", price: 1250, stock: 5 }) });
    expect(made.status).toBe(201);
    const identity = createServiceClient({ service: "identity", target: { app: p.services.identity!.app }, secret: TEST_SECRET });
    await identity.call("/internal/realms/gw-cart-a/accounts", { method: "POST", body: { email: "ann@gw-cart-a.test", password: "cart-password-1", roles: ["shopper"] } });
    const login = await p.gateway.app.request("/auth/realms/gw-cart-a/protocol/openid-connect/token", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "password", client_id: "storefront", username: "ann@gw-cart-a.test", password: "cart-password-1" }),
    });
    expect(login.status).toBe(200);
    shopperToken = ((await login.json()) as { access_token: string }).access_token;
  });
  afterAll(async () => {
    await p?.stop();
    if (redis) {
      const keys = await redis.keys(`${PREFIX}:*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    }
  });

  it("a guest adds and reads with the token; the answer is never cached; another store sees nothing", async () => {
    const created = await p.api("/api/v1/carts", { method: "POST", tenant: "gw-cart-a" });
    expect(created.status).toBe(201);
    const { id, token } = CartCreated.parse(await created.json());
    expect(created.headers.get("set-cookie")).toContain("bazaar_cart=");
    const add = await p.api(`/api/v1/carts/${id}/items`, { method: "POST", tenant: "gw-cart-a", headers: { "x-cart-token": token! }, body: JSON.stringify({ sku: "GATEWAY-MUG", quantity: 2 }) });
    expect(add.status, await add.clone().text()).toBe(200);
    const read = await p.api(`/api/v1/carts/${id}`, { tenant: "gw-cart-a", headers: { cookie: `bazaar_cart=${token}` } });
    expect(read.status).toBe(200);
    expect(read.headers.get("cache-control")).toBe("no-store");
    expect(read.headers.get("x-cache")).toBeNull();
    const cart = Cart.parse(await read.json());
    expect(cart.totals).toEqual({ quantity: 2, subtotal: 2500 });
    const bad = await p.api(`/api/v1/carts/${id}`, { tenant: "gw-cart-a", headers: { "x-cart-token": `${id}.forged` } });
    expect(bad.status).toBe(404);
    expect(bad.headers.get("content-type")).toBe("application/problem+json");
    const elsewhere = await p.api(`/api/v1/carts/${id}`, { tenant: "gw-cart-b", headers: { "x-cart-token": token! } });
    expect(elsewhere.status).toBe(404);
    expect(await elsewhere.text()).not.toContain("GATEWAY-MUG");
  });

  it("a shopper signs in and merges the guest cart into their own", async () => {
    const { id, token } = CartCreated.parse(await (await p.api("/api/v1/carts", { method: "POST", tenant: "gw-cart-a" })).json());
    await p.api(`/api/v1/carts/${id}/items`, { method: "POST", tenant: "gw-cart-a", headers: { "x-cart-token": token! }, body: JSON.stringify({ sku: "GATEWAY-MUG", quantity: 4 }) });
    const auth = { authorization: `Bearer ${shopperToken}` };
    const mine = await p.api("/api/v1/carts", { method: "POST", tenant: "gw-cart-a", headers: auth });
    expect(mine.status).toBe(201);
    const mineId = (await mine.json()).id as string;
    await p.api(`/api/v1/carts/${mineId}/items`, { method: "POST", tenant: "gw-cart-a", headers: auth, body: JSON.stringify({ sku: "GATEWAY-MUG", quantity: 3 }) });
    const merged = await p.api(`/api/v1/carts/${id}/merge`, { method: "POST", tenant: "gw-cart-a", headers: { ...auth, "x-cart-token": token! } });
    expect(merged.status, await merged.clone().text()).toBe(200);
    const body = CartMergeResult.parse(await merged.json());
    expect(body.cart.id).toBe(mineId);
    expect(body.changes).toEqual([expect.objectContaining({ sku: "GATEWAY-MUG", status: "capped", guestQuantity: 4, previousQuantity: 3, quantity: 5 })]);
    expect((await p.api(`/api/v1/carts/${id}`, { tenant: "gw-cart-a", headers: { "x-cart-token": token! } })).status).toBe(404);
    // Another store's token is refused at the gateway.
    expect((await p.api(`/api/v1/carts/${mineId}`, { tenant: "gw-cart-b", headers: auth })).status).toBe(403);
  });
});
