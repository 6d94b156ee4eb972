import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import RedisMock from "ioredis-mock";
import type { IdentityContext } from "@bazaar/contracts";
import { createService as createCatalog } from "@bazaar/catalog";
import type { Database } from "@bazaar/service-kit/db";
import { InProcessBus } from "@bazaar/service-kit/events";
import { createId } from "@bazaar/service-kit/ids";
import { freshDatabase, silentLogger, TEST_SECRET } from "@bazaar/service-kit/testing";
import { internalHeaders, signTenantHeaders } from "@bazaar/service-kit/tenancy";
import type { ServiceHandle } from "@bazaar/service-kit/service";
import { createService, type CartHandle, type CartOptions } from "../../src/app.ts";

/** The real Redis of this machine when TEST_REDIS_URL is set (CI sets it), the emulation otherwise. */
export const REDIS_URL = process.env.TEST_REDIS_URL;
export const redisKind = REDIS_URL ? `real Redis at ${REDIS_URL}` : "ioredis-mock";

export interface Store {
  tenantId: string;
  slug: string;
}

export interface Caller {
  token?: string;
  /** Signed in as this account subject (a shopper of the store). */
  shopper?: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read bodies loosely and assert on them
export interface Res<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface CartHarness {
  cart: CartHandle;
  catalog: ServiceHandle;
  redis: Redis;
  databases: Database[];
  keyPrefix: string;
  provision(slug: string): Promise<Store>;
  /** A cart route as the gateway would call it. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
  call<T = any>(store: Store, method: string, path: string, body?: unknown, who?: Caller): Promise<Res<T>>;
  /** A catalog route as the store's owner. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as above
  admin<T = any>(store: Store, method: string, path: string, body?: unknown): Promise<Res<T>>;
  /** A guest cart: id and token. */
  guest(store: Store): Promise<{ id: string; token: string }>;
  stop(): Promise<void>;
}

async function request(app: ServiceHandle["app"], store: Store, method: string, path: string, body: unknown, identity: IdentityContext | undefined, extra: Record<string, string> = {}): Promise<Res> {
  const res = await app.request(path, {
    method,
    headers: { ...signTenantHeaders(TEST_SECRET, store, identity), ...(body !== undefined ? { "content-type": "application/json" } : {}), ...extra },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

/** The catalog and the cart, each on a fresh database, sharing one Redis key prefix of their own. */
export async function startCart(options: CartOptions = {}): Promise<CartHarness> {
  const bus = new InProcessBus();
  const [catalogDb, cartDb] = await Promise.all([freshDatabase("catalog"), freshDatabase("cart")]);
  const keyPrefix = `test-cart-${randomBytes(4).toString("hex")}`;
  const redis = REDIS_URL ? new Redis(REDIS_URL) : (new RedisMock() as unknown as Redis);
  const catalog = createCatalog({ logger: silentLogger(), database: catalogDb, bus, secret: TEST_SECRET, relay: { pollMs: 50 } });
  const cart = createService({
    logger: silentLogger(),
    database: cartDb,
    bus,
    secret: TEST_SECRET,
    relay: { pollMs: 50 },
    redis,
    catalog: { app: catalog.app },
    cart: { keyPrefix, drainMs: 50, ...options },
  });
  await catalog.start();
  await cart.start();
  const h: CartHarness = {
    cart,
    catalog,
    redis,
    databases: [catalogDb, cartDb],
    keyPrefix,
    async provision(slug) {
      const tenantId = createId("tenant");
      for (const svc of [catalog, cart]) {
        const res = await svc.app.request("/internal/tenants/provision", {
          method: "POST",
          headers: { ...internalHeaders(TEST_SECRET), "content-type": "application/json" },
          body: JSON.stringify({ tenantId, slug }),
        });
        if (res.status !== 200) throw new Error(`provisioning failed: ${res.status} ${await res.text()}`);
      }
      return { tenantId, slug };
    },
    call(store, method, path, body, who = {}) {
      const identity = who.shopper ? { sub: who.shopper, realm: store.slug, roles: ["shopper" as const] } : undefined;
      return request(cart.app, store, method, path, body, identity, who.token ? { "x-cart-token": who.token } : {});
    },
    admin(store, method, path, body) {
      return request(catalog.app, store, method, path, body, { sub: "acc_owner", realm: store.slug, roles: ["owner"] });
    },
    async guest(store) {
      const res = await h.call<{ id: string; token: string }>(store, "POST", "/api/v1/carts");
      if (res.status !== 201) throw new Error(`guest cart: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    },
    async stop() {
      await cart.stop();
      await catalog.stop();
      await bus.close();
      await Promise.all([catalogDb.close(), cartDb.close()]);
      if (REDIS_URL) {
        // This run's keys only (its own prefix).
        let cursor = "0";
        do {
          const [next, keys] = await redis.scan(cursor, "MATCH", `${keyPrefix}:*`, "COUNT", 500);
          if (keys.length) await redis.del(...keys);
          cursor = next;
        } while (cursor !== "0");
      }
      redis.disconnect();
    },
  };
  return h;
}

/** A product with variants `<prefix>-1..n` (price 1000 + i, stock as given). */
export async function product(h: CartHarness, store: Store, prefix: string, stocks: number[], status: "active" | "draft" | "archived" = "active") {
  const res = await h.admin(store, "POST", "/api/v1/admin/products", {
    name: `Product ${prefix}`,
    currency: "USD",
    status,
    options: [{ name: "size", values: stocks.map((_, i) => `s${i + 1}`) }],
    variants: stocks.map((stock, i) => ({ sku: `${prefix}-${i + 1}`, options: { size: `s${i + 1}` }, price: 1000 + i + 1, stock })),
  });
  if (res.status !== 201) throw new Error(`product: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; slug: string };
}
