import { randomBytes } from "node:crypto";
import { cors } from "hono/cors";
import { swaggerUI } from "@hono/swagger-ui";
import { createServiceClient, type ServiceClient, type ServiceTarget } from "@bazaar/service-kit/clients";
import { AppError } from "@bazaar/service-kit/errors";
import { randomHex } from "@bazaar/service-kit/ids";
import { createHttpApp, problemResponse } from "@bazaar/service-kit/http";
import type { Logger } from "@bazaar/service-kit/logging";
import type { ServiceHandle } from "@bazaar/service-kit/service";
import { internalHeaders, signTenantHeaders } from "@bazaar/service-kit/tenancy";
import type { EventBus, Subscription } from "@bazaar/service-kit/events";
import { ResponseCache } from "./cache/response-cache.ts";
import { limitBodies } from "./limits/body-limit.ts";
import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context } from "hono";
import type { Redis } from "ioredis";
import { authenticate } from "./auth/authenticate.ts";
import { RateLimiter, type LimitRule } from "./rate-limit/limiter.ts";
import { TokenVerifier } from "./auth/verifier.ts";
import { mergedOpenApi } from "./openapi/merge.ts";
import { matchRoute } from "./routing/routes.ts";
import { TenantResolver } from "./routing/tenant-resolver.ts";

export interface GatewayDeps {
  logger: Logger;
  secret: string;
  /** Every service the gateway routes to, in this process or over HTTP. */
  services: Record<string, ServiceTarget>;
  /** Host suffixes of store sites (`acme.localhost` -> `acme`). */
  storeDomains?: string[];
  /** Bootstrap token that acts as operator and owner (BAZAAR_ADMIN_TOKEN); unset disables it. */
  adminToken?: string;
  /** Issuer prefix of the built-in identity provider (`PUBLIC_URL`), default http://localhost:8080. */
  publicUrl?: string;
  /** Trust a real Keycloak instead of the built-in provider. */
  keycloakUrl?: string;
  corsOrigins?: string[];
  bodyLimitBytes?: number;
  /** Limit of bulk import bodies (`/api/v1/admin/imports`), which stream through (default 50 MB). */
  importBodyLimitBytes?: number;
  /** Catalog events arrive here to drop cached storefront reads; without a bus nothing is cached. */
  bus?: EventBus;
  /** Rate limits per client IP, per token and per store, counted in Redis. */
  rateLimit?: { redis: Pick<Redis, "pipeline">; rules: LimitRule[] };
}

const HOP_BY_HOP = ["connection", "keep-alive", "transfer-encoding", "upgrade", "proxy-connection", "te", "trailer", "host", "content-length"];

/** The edge: tenant resolution, auth, routing to services, CORS, body limits, API docs. */
export function createService(deps: GatewayDeps): ServiceHandle {
  const clients: Record<string, ServiceClient> = Object.fromEntries(
    Object.entries(deps.services).map(([name, target]) => [name, createServiceClient({ service: name, target, secret: deps.secret })]),
  );
  const tenantClient = clients.tenant;
  if (!tenantClient) throw new Error("gateway needs the tenant service");
  const resolver = new TenantResolver({ tenantClient, storeDomains: deps.storeDomains ?? ["localhost"] });
  const verifier = new TokenVerifier({
    issuerBase: deps.publicUrl ?? "http://localhost:8080",
    ...(clients.identity ? { identity: clients.identity } : {}),
    ...(deps.keycloakUrl ? { keycloakUrl: deps.keycloakUrl } : {}),
  });
  const app = createHttpApp({ service: "gateway", logger: deps.logger, refuseNulInBodies: false });
  const allowed = new Set(deps.corsOrigins ?? []);
  // Security headers on every answer, set after the handler (see the CORS note below on why).
  app.use("*", async function securityHeaders(c, next) {
    await next();
    const h = c.res.headers;
    h.set("x-content-type-options", "nosniff");
    h.set("x-frame-options", "DENY");
    h.set("referrer-policy", "no-referrer");
    h.set("cross-origin-resource-policy", "same-site");
    // Identity's HTML pages (login, account pages) send their own CSP, which allows their inline CSS.
    if (!c.req.path.startsWith("/docs") && !(c.req.path.startsWith("/auth/") && h.has("content-security-policy"))) {
      h.set("content-security-policy", "default-src 'none'; frame-ancestors 'none'");
    }
    if (c.req.header("x-forwarded-proto") === "https") h.set("strict-transport-security", "max-age=31536000; includeSubDomains");
  });
  let openapi: Promise<Record<string, unknown>> | undefined;
  const cache = deps.bus ? new ResponseCache() : undefined;
  const limiter = deps.rateLimit ? new RateLimiter(deps.rateLimit.redis, deps.rateLimit.rules) : undefined;
  let cacheSub: Subscription | undefined;

  const corsMiddleware = cors({
      origin: (origin) => (allowed.has(origin) || /^https?:\/\/([a-z0-9-]+\.)*localhost(:\d+)?$/.test(origin) ? origin : null),
      allowHeaders: ["content-type", "authorization", "x-tenant", "x-cart-token", "idempotency-key", "x-request-id"],
      exposeHeaders: ["x-request-id"],
      credentials: true,
      maxAge: 600,
  });
  // Only cross-origin (browser) requests carry Origin; hono's cors touches c.res before the handler
  // runs, which makes Hono rebuild every response, so skip it when there is nothing to answer.
  const corsWhenCrossOrigin = async (c: Context, next: () => Promise<void>) => {
    if (!c.req.header("origin")) return next();
    return corsMiddleware(c, next);
  };
  app.use("/api/*", corsWhenCrossOrigin);
  // keycloak-js calls the token, userinfo and logout endpoints from the apps' origins.
  app.use("/auth/*", corsWhenCrossOrigin);
  app.use(
    "*",
    limitBodies({ maxBytes: deps.bodyLimitBytes ?? 1024 * 1024, streamed: { "/api/v1/admin/imports": deps.importBodyLimitBytes ?? 50 * 1024 * 1024 } }),
  );

  app.get("/openapi.json", async (c) => {
    openapi ??= mergedOpenApi(Object.values(clients)).catch((err) => {
      openapi = undefined;
      throw err;
    });
    return c.json(await openapi);
  });
  app.get("/docs", swaggerUI({ url: "/openapi.json", title: "Bazaar API" }));

  app.get("/api/v1/platform/health", async (c) => {
    await authenticate({ authorization: c.req.header("authorization"), audience: "platform", store: undefined, verifier, adminToken: deps.adminToken });
    const services = await Promise.all(
      Object.entries(clients).map(async ([name, client]) => {
        const started = performance.now();
        try {
          const res = await client.fetch(new Request(`${client.base}/ready`, { signal: AbortSignal.timeout(2_000) }));
          return { service: name, status: res.ok ? "ready" : "not_ready", latencyMs: +(performance.now() - started).toFixed(2) };
        } catch (err) {
          return { service: name, status: "down", latencyMs: null, error: (err as Error).message };
        }
      }),
    );
    const ok = services.every((s) => s.status === "ready");
    return c.json({ status: ok ? "ok" : "degraded", services }, ok ? 200 : 503);
  });

  app.all("*", async (c) => {
    const url = new URL(c.req.url);
    const rule = matchRoute(url.pathname);
    if (!rule) throw new AppError("not_found", `No route for ${c.req.method} ${url.pathname}.`);
    const client = clients[rule.service];
    if (!client) throw new AppError("unavailable", `The ${rule.service} service is not running.`);

    let tenant: { tenantId: string; slug: string } | undefined;
    if (rule.audience === "store" || rule.audience === "admin") {
      // Behind the storefront (a server-side fetch), the shopper's host arrives as X-Forwarded-Host.
      const named = resolver.identify({ tenant: c.req.header("x-tenant"), host: c.req.header("x-forwarded-host") ?? c.req.header("host") });
      if (!named) throw new AppError("invalid_tenant", "Name the store with the X-Tenant header or its host name.");
      const resolved = await resolver.resolve(named);
      if (resolved.status === "suspended") throw new AppError("tenant_suspended", "This store is suspended.");
      tenant = { tenantId: resolved.id, slug: resolved.slug };
      c.set("tenant", tenant);
    }
    const authorization = c.req.header("authorization");
    const identity =
      rule.audience === "public" ? undefined : await authenticate({ authorization, audience: rule.audience, store: tenant, verifier, adminToken: deps.adminToken });

    if (limiter) {
      const verdict = await limiter
        .check({ ip: clientIp(c), ...(identity ? { token: `${identity.realm}:${identity.sub}` } : {}), ...(tenant ? { store: tenant.tenantId } : {}) })
        .catch((err: unknown) => {
          c.get("log").warn({ err }, "rate limiter unavailable; letting the request through");
          return { ok: true as const };
        });
      if (!verdict.ok) {
        const res = problemResponse(c, "rate_limited", { detail: `Too many requests for this ${verdict.scope === "ip" ? "address" : verdict.scope}; retry in ${verdict.retryAfterS} s.` });
        res.headers.set("retry-after", String(verdict.retryAfterS));
        res.headers.set("ratelimit-limit", String(verdict.limit));
        return res;
      }
    }

    // Anonymous storefront reads may be answered from the shared cache, before any work for the hop.
    const cacheable = cache !== undefined && tenant !== undefined && rule.audience === "store" && c.req.method === "GET" && !authorization;
    const cacheKey = `${url.pathname}${url.search}`;
    if (cacheable) {
      const hit = cache.get(tenant!.tenantId, cacheKey);
      if (hit) return fromCache(hit, c.req.header("if-none-match"), c.get("requestId"));
    }
    const generation = cacheable ? cache.generation(tenant!.tenantId) : 0;

    const headers = new Headers();
    c.req.raw.headers.forEach((v, k) => {
      if (!HOP_BY_HOP.includes(k) && !k.startsWith("x-bazaar-")) headers.set(k, v);
    });
    headers.set("x-request-id", c.get("requestId"));
    // Start a W3C trace here when the caller did not; services log its trace id and pass it on.
    if (!/^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/.test(headers.get("traceparent") ?? "")) {
      headers.set("traceparent", `00-${randomHex(16)}-${randomHex(8)}-01`);
    }
    headers.set("x-forwarded-host", c.req.header("x-forwarded-host") ?? c.req.header("host") ?? "");
    if (tenant || identity) for (const [k, v] of Object.entries(signTenantHeaders(deps.secret, tenant, identity))) headers.set(k, v);
    if (rule.audience === "platform") for (const [k, v] of Object.entries(internalHeaders(deps.secret))) headers.set(k, v);

    const hasBody = c.req.method !== "GET" && c.req.method !== "HEAD";
    let upstream: Response;
    try {
      upstream = await client.fetch(
        new Request(`${client.base}${url.pathname}${url.search}`, {
          method: c.req.method,
          headers,
          ...(hasBody ? { body: c.req.raw.body, duplex: "half" } : {}),
        } as RequestInit),
      );
    } catch (err) {
      c.get("log").warn({ err, service: rule.service }, "upstream unreachable");
      throw new AppError("unavailable", `The ${rule.service} service is not answering; try again shortly.`);
    }
    if (rule.audience === "platform" && c.req.method !== "GET") resolver.invalidate();
    if (cacheable) {
      const maxAge = ResponseCache.sharedMaxAge(upstream);
      if (maxAge > 0) {
        const entry = await cache.put(tenant!.tenantId, cacheKey, upstream, maxAge, generation);
        return fromCache(entry, c.req.header("if-none-match"), c.get("requestId"), "MISS");
      }
    }
    const out = new Headers(upstream.headers);
    for (const h of HOP_BY_HOP) out.delete(h);
    out.set("x-request-id", c.get("requestId"));
    return new Response(upstream.body, { status: upstream.status, headers: out });
  });

  return {
    name: "gateway",
    app,
    async start() {
      if (!deps.bus || !cache) return;
      // Each gateway instance needs every invalidation: a consumer group of its own, new events only.
      cacheSub = await deps.bus.subscribe({
        group: `gateway-cache-${randomBytes(6).toString("hex")}`,
        topics: ["catalog"],
        fromBeginning: false,
        handler: async (envelope) => cache.invalidate(envelope.tenantId),
      });
    },
    async stop() {
      await cacheSub?.stop();
    },
  };
}

/** The caller's address: the socket peer, or the first X-Forwarded-For hop when the peer is a local proxy (the storefront). */
function clientIp(c: Context): string | undefined {
  let peer: string | undefined;
  try {
    peer = getConnInfo(c).remote.address;
  } catch {
    return undefined; // in-process call: no socket
  }
  if (peer && /^(127\.|::1$|::ffff:127\.)/.test(peer)) {
    const forwarded = c.req.header("x-forwarded-for")?.split(",")[0]?.trim();
    if (forwarded && /^[0-9a-f.:]{2,45}$/i.test(forwarded)) return forwarded;
  }
  return peer;
}

function fromCache(entry: { status: number; headers: [string, string][]; body: Uint8Array; etag: string | null }, ifNoneMatch: string | undefined, requestId: string, state = "HIT"): Response {
  const headers = new Headers();
  for (const [k, v] of entry.headers) if (!HOP_BY_HOP.includes(k)) headers.set(k, v);
  headers.set("x-request-id", requestId);
  headers.set("x-cache", state);
  if (entry.etag && ifNoneMatch && ifNoneMatch.split(/\s*,\s*/).includes(entry.etag)) return new Response(null, { status: 304, headers });
  return new Response(entry.body, { status: entry.status, headers });
}
