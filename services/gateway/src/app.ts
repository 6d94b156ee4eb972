import { randomBytes, timingSafeEqual } from "node:crypto";
import { bodyLimit } from "hono/body-limit";
import { cors } from "hono/cors";
import { swaggerUI } from "@hono/swagger-ui";
import { createServiceClient, type ServiceClient, type ServiceTarget } from "@bazaar/service-kit/clients";
import { AppError } from "@bazaar/service-kit/errors";
import { createHttpApp, problemResponse } from "@bazaar/service-kit/http";
import type { Logger } from "@bazaar/service-kit/logging";
import type { ServiceHandle } from "@bazaar/service-kit/service";
import { TENANT_HEADERS, internalHeaders, signTenantHeaders } from "@bazaar/service-kit/tenancy";
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
  /** Bearer token for merchant and operator routes until OIDC lands (issue 3). */
  adminToken: string;
  corsOrigins?: string[];
  bodyLimitBytes?: number;
}

const HOP_BY_HOP = ["connection", "keep-alive", "transfer-encoding", "upgrade", "proxy-connection", "te", "trailer", "host", "content-length"];

function bearerMatches(header: string | undefined, token: string): boolean {
  const got = header?.match(/^Bearer\s+(.+)$/i)?.[1];
  if (!got) return false;
  const a = Buffer.from(got);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The edge: tenant resolution, auth, routing to services, CORS, body limits, API docs. */
export function createService(deps: GatewayDeps): ServiceHandle {
  const clients: Record<string, ServiceClient> = Object.fromEntries(
    Object.entries(deps.services).map(([name, target]) => [name, createServiceClient({ service: name, target, secret: deps.secret })]),
  );
  const tenantClient = clients.tenant;
  if (!tenantClient) throw new Error("gateway needs the tenant service");
  const resolver = new TenantResolver({ tenantClient, storeDomains: deps.storeDomains ?? ["localhost"] });
  const app = createHttpApp({ service: "gateway", logger: deps.logger });
  const allowed = new Set(deps.corsOrigins ?? []);
  let openapi: Promise<Record<string, unknown>> | undefined;

  app.use(
    "/api/*",
    cors({
      origin: (origin) => (allowed.has(origin) || /^https?:\/\/([a-z0-9-]+\.)*localhost(:\d+)?$/.test(origin) ? origin : null),
      allowHeaders: ["content-type", "authorization", "x-tenant", "x-cart-token", "idempotency-key", "x-request-id"],
      exposeHeaders: ["x-request-id"],
      credentials: true,
      maxAge: 600,
    }),
  );
  app.use(
    "*",
    bodyLimit({
      maxSize: deps.bodyLimitBytes ?? 1024 * 1024,
      onError: (c) => problemResponse(c, "payload_too_large", { detail: `Bodies are limited to ${deps.bodyLimitBytes ?? 1024 * 1024} bytes.` }),
    }),
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
    if (!bearerMatches(c.req.header("authorization"), deps.adminToken)) throw new AppError("unauthorized", "Operator token required.");
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

    const headers = new Headers();
    c.req.raw.headers.forEach((v, k) => {
      if (!HOP_BY_HOP.includes(k) && !k.startsWith("x-bazaar-")) headers.set(k, v);
    });
    headers.set("x-request-id", c.get("requestId"));
    // Start a W3C trace here when the caller did not; services log its trace id and pass it on.
    if (!/^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/.test(headers.get("traceparent") ?? "")) {
      headers.set("traceparent", `00-${randomBytes(16).toString("hex")}-${randomBytes(8).toString("hex")}-01`);
    }
    headers.set("x-forwarded-host", c.req.header("x-forwarded-host") ?? c.req.header("host") ?? "");

    if (rule.audience === "platform" || rule.audience === "admin") {
      if (!bearerMatches(c.req.header("authorization"), deps.adminToken)) {
        throw new AppError("unauthorized", rule.audience === "platform" ? "Operator token required." : "Staff token required.");
      }
    }
    if (rule.audience === "store" || rule.audience === "admin") {
      // Behind the storefront (a server-side fetch), the shopper's host arrives as X-Forwarded-Host.
      const named = resolver.identify({ tenant: c.req.header("x-tenant"), host: c.req.header("x-forwarded-host") ?? c.req.header("host") });
      if (!named) throw new AppError("invalid_tenant", "Name the store with the X-Tenant header or its host name.");
      const tenant = await resolver.resolve(named);
      if (tenant.status === "suspended") throw new AppError("tenant_suspended", "This store is suspended.");
      c.set("tenant", { tenantId: tenant.id, slug: tenant.slug });
      for (const [k, v] of Object.entries(signTenantHeaders(deps.secret, { tenantId: tenant.id, slug: tenant.slug }))) headers.set(k, v);
    }
    if (rule.audience === "platform") {
      for (const [k, v] of Object.entries(internalHeaders(deps.secret))) headers.set(k, v);
    }
    if (headers.get(TENANT_HEADERS.internal) && rule.audience !== "platform") headers.delete(TENANT_HEADERS.internal);

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
    const out = new Headers(upstream.headers);
    for (const h of HOP_BY_HOP) out.delete(h);
    out.set("x-request-id", c.get("requestId"));
    return new Response(upstream.body, { status: upstream.status, headers: out });
  });

  return {
    name: "gateway",
    app,
    start: async () => {},
    stop: async () => {},
  };
}
