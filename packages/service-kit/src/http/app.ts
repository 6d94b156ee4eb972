import { OpenAPIHono } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import { Registry, Histogram, collectDefaultMetrics } from "prom-client";
import type { Logger } from "../logging/index.ts";
import { observingStatements, statementTrace } from "../db/index.ts";
import { traceIdOf } from "../logging/index.ts";
import { AppError, problemResponse, toAppError, zodFieldErrors } from "../errors/index.ts";
import type { TenantContext } from "../tenancy/context.ts";
import type { IdentityContext } from "@bazaar/contracts";

export type AppEnv = {
  Variables: {
    requestId: string;
    log: Logger;
    tenant: TenantContext;
    identity: IdentityContext | undefined;
  };
};

export type ServiceApp = OpenAPIHono<AppEnv>;

export interface HttpAppOptions {
  service: string;
  logger: Logger;
  /** Returns true when the service can take traffic (db reachable, not draining). */
  ready?: () => boolean | Promise<boolean>;
  metrics?: Registry;
  /** Refuse NUL characters in URLs and JSON bodies (default true; the gateway streams bodies through and checks URLs only). */
  refuseNulInBodies?: boolean;
  /**
   * Paths whose handlers stream the body themselves (bulk uploads): the NUL check leaves their body
   * unread, and the handler must refuse NUL in what it keeps.
   */
  streamedBodyPaths?: string[];
}

const REQUEST_ID_RE = /^[A-Za-z0-9._:-]{1,128}$/;

/** Sub-app for routes; same defaults (validation errors become problem+json 422). */
export function createRouter(): ServiceApp {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) {
        return problemResponse(c, "validation_failed", {
          detail: "The request is not valid.",
          errors: zodFieldErrors(result.error),
        });
      }
      return undefined;
    },
  });
}

export function createMetrics(service: string, collectDefaults = true): { registry: Registry; httpDuration: Histogram } {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  if (collectDefaults) collectDefaultMetrics({ register: registry });
  const httpDuration = new Histogram({
    name: "http_request_duration_seconds",
    help: "HTTP request duration by route and status",
    labelNames: ["method", "route", "status"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  return { registry, httpDuration };
}

/**
 * The base Hono app of every service: request ids, request logs, metrics, problem+json errors,
 * `/health`, `/ready`, `/metrics`.
 * @example const app = createHttpApp({ service: "catalog", logger }); app.route("/", products)
 */
export function createHttpApp(opts: HttpAppOptions): ServiceApp {
  const app = createRouter();
  const { registry, httpDuration } = opts.metrics
    ? { registry: opts.metrics, httpDuration: opts.metrics.getSingleMetric("http_request_duration_seconds") as Histogram }
    : createMetrics(opts.service);

  app.use("*", requestContext(opts.logger));
  app.use("*", async (c, next) => {
    const end = httpDuration.startTimer();
    await next();
    if (c.req.path === "/metrics") return;
    end({ method: c.req.method, route: c.req.routePath, status: String(c.res.status) });
  });

  app.use("*", refuseNul(opts.refuseNulInBodies ?? true, new Set(opts.streamedBodyPaths ?? [])));

  app.get("/health", (c) => c.json({ status: "ok", service: opts.service }));
  app.get("/ready", async (c) => {
    const ok = opts.ready ? await opts.ready() : true;
    return c.json({ status: ok ? "ready" : "not_ready", service: opts.service }, ok ? 200 : 503);
  });
  app.get("/metrics", async (c) => c.text(await registry.metrics(), 200, { "content-type": registry.contentType }));

  app.onError((err, c) => {
    const appErr = toAppError(err);
    const log = c.get("log") ?? opts.logger;
    if (appErr.status >= 500) log.error({ err }, "request failed");
    else log.debug({ code: appErr.code }, "request refused");
    return problemResponse(c, appErr.code, { detail: appErr.detail, errors: appErr.errors });
  });
  app.notFound((c) => problemResponse(c, "not_found", { detail: `No route for ${c.req.method} ${c.req.path}.` }));
  return app;
}

function hasNul(value: unknown, depth = 0): boolean {
  if (typeof value === "string") return value.includes("\u0000");
  if (depth > 64 || value === null || typeof value !== "object") return false;
  return Object.entries(value).some(([k, v]) => k.includes("\u0000") || hasNul(v, depth + 1));
}

/**
 * NUL (U+0000) cannot be stored in PostgreSQL text or jsonb: refuse it at the door, in the path, the
 * query or any JSON body string, so it never reaches SQL half-way through a change.
 */
function refuseNul(inBodies: boolean, streamed: Set<string>): MiddlewareHandler<AppEnv> {
  return async function refuseNul(c, next) {
    if (c.req.url.includes("%00")) throw new AppError("bad_request", "The URL contains a NUL character.");
    const type = c.req.header("content-type") ?? "";
    if (inBodies && !streamed.has(c.req.path) && c.req.method !== "GET" && c.req.method !== "HEAD" && /json/i.test(type)) {
      const body: unknown = await c.req.json().catch(() => undefined);
      if (hasNul(body)) throw new AppError("validation_failed", "A text value contains a NUL character.", [{ path: "(body)", message: "NUL (U+0000) is not allowed" }]);
    }
    await next();
  };
}

/**
 * A request-scoped child logger that is only built when something logs: most requests log nothing
 * at the default level, and pino's child() was a measurable share of a cached read.
 */
function lazyChild(logger: Logger, bindings: Record<string, string>): Logger {
  let child: Logger | undefined;
  return new Proxy(logger, {
    get(_target, prop) {
      child ??= logger.child(bindings);
      const value = Reflect.get(child, prop, child) as unknown;
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(child) : value;
    },
  });
}

function requestContext(logger: Logger): MiddlewareHandler<AppEnv> {
  return async function requestContext(c, next) {
    // One id for the response header, the problem body and the logs: the caller's when well formed.
    const given = c.req.header("x-request-id");
    const id = given && REQUEST_ID_RE.test(given) ? given : crypto.randomUUID();
    c.set("requestId", id);
    const traceId = traceIdOf(c.req.header("traceparent"));
    c.set("log", lazyChild(logger, { requestId: id, ...(traceId ? { traceId } : {}) }));
    const started = performance.now();
    if (traceId && observingStatements()) await statementTrace.run(traceId, next);
    else await next();
    // Set on the finished response: a header set before the handler makes Hono rebuild the
    // handler's Response, and @hono/node-server then loses its fast path for plain bodies.
    c.res.headers.set("x-request-id", id);
    const tenantId = c.get("tenant")?.tenantId;
    if (logger.isLevelEnabled("debug")) c.get("log").debug(
      { method: c.req.method, path: c.req.path, status: c.res.status, ms: +(performance.now() - started).toFixed(2), ...(tenantId ? { tenantId } : {}) },
      "request",
    );
  };
}

export { AppError };
