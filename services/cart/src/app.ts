import { randomBytes } from "node:crypto";
import { CART_LIMITS } from "@bazaar/contracts";
import { createServiceClient, type ServiceTarget } from "@bazaar/service-kit/clients";
import type { Subscription } from "@bazaar/service-kit/events";
import { createServiceCore, type CoreDeps, type ServiceHandle } from "@bazaar/service-kit/service";
import { ACCESS } from "./access.ts";
import { EventDrain } from "./modules/carts/carts.events.ts";
import { catalogLookup, PriceCache } from "./modules/carts/carts.pricing.ts";
import { cartRoutes } from "./modules/carts/carts.routes.ts";
import { CartService } from "./modules/carts/carts.service.ts";
import { CartKeys, CartStore, type CartRedis } from "./modules/carts/carts.store.ts";
import { CartTokens } from "./modules/carts/carts.token.ts";

export type { CartRedis } from "./modules/carts/carts.store.ts";

const DAY_MS = 24 * 60 * 60 * 1000;

export interface CartOptions {
  /** First part of every Redis key (default `cart`); benchmarks use their own. */
  keyPrefix?: string;
  /** Sliding expiry of a cart (default 30 days). */
  ttlMs?: number;
  /** At most `CART_LIMITS` (100 lines, 99 per line). */
  maxLines?: number;
  maxQuantity?: number;
  /** How long catalog answers are reused at most (default 10 s; catalog events drop them sooner; 0 = never). */
  priceCacheMs?: number;
  /** How often staged behaviour events move to the outbox (default 200 ms). */
  drainMs?: number;
  /** Mark the `bazaar_cart` cookie `Secure` (behind HTTPS). */
  secureCookie?: boolean;
}

export interface CartDeps extends CoreDeps {
  /** ioredis client: the real Redis (`REDIS_URL`) or the in-process emulation. */
  redis: CartRedis;
  /** Where the catalog answers (prices, stock, product status). */
  catalog: ServiceTarget;
  cart?: CartOptions;
}

export type CartHandle = ServiceHandle & { events: EventDrain };

/** The cart service: carts in Redis, priced by the catalog; behaviour events through the outbox. */
export function createService(deps: CartDeps): CartHandle {
  const core = createServiceCore("cart", deps, new URL("../migrations/tenant", import.meta.url), { access: ACCESS });
  const opts = deps.cart ?? {};
  const ttlMs = opts.ttlMs ?? 30 * DAY_MS;
  const limits = {
    maxLines: Math.min(opts.maxLines ?? CART_LIMITS.maxLines, CART_LIMITS.maxLines),
    maxQuantity: Math.min(opts.maxQuantity ?? CART_LIMITS.maxQuantity, CART_LIMITS.maxQuantity),
  };
  const store = new CartStore(deps.redis, new CartKeys(opts.keyPrefix), ttlMs);
  const catalog = createServiceClient({ service: "catalog", target: deps.catalog, secret: deps.secret, timeoutMs: 5_000 });
  const prices = new PriceCache(catalogLookup(catalog), { ttlMs: opts.priceCacheMs ?? 10_000 });
  const events = new EventDrain({ store, tenancy: core.tenancy, logger: deps.logger, ...(opts.drainMs !== undefined ? { intervalMs: opts.drainMs } : {}) });
  const svc = new CartService({
    store,
    prices,
    tokens: new CartTokens(deps.secret),
    limits,
    ttlMs,
    clock: deps.clock ?? (() => new Date()),
    onEvents: (tenantId) => events.touch(tenantId),
  });
  core.app.route("/", cartRoutes(svc, { ttlMs, ...(opts.secureCookie !== undefined ? { secureCookie: opts.secureCookie } : {}) }));
  let sub: Subscription | undefined;
  const handle = core.handle({
    onStart: async () => {
      // Any catalog change of a store (price, stock, status, deletion) drops the prices kept for it.
      // Every instance needs every change: a consumer group of its own, new events only.
      sub = await deps.bus.subscribe({
        group: `cart-prices-${randomBytes(6).toString("hex")}`,
        topics: ["catalog"],
        fromBeginning: false,
        handler: async (envelope) => prices.invalidate(envelope.tenantId),
      });
      events.start();
    },
    onStop: async () => {
      await sub?.stop();
      await events.stop();
    },
  });
  return Object.assign(handle, { events });
}
