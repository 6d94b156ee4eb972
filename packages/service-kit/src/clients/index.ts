import type { z } from "zod";
import { ProvisionResult, type ProvisionRequest, type Problem } from "@bazaar/contracts";
import { statementTrace } from "../db/index.ts";
import { AppError } from "../errors/index.ts";
import { randomHex } from "../ids/index.ts";
import { internalHeaders, signTenantHeaders, type TenantContext } from "../tenancy/context.ts";

export type FetchLike = (req: Request) => Response | Promise<Response>;

/** Where a service is: its Hono app in this process, or a base URL over HTTP. Same client code for both. */
export type ServiceTarget = { app: { fetch: FetchLike } } | { baseUrl: string };

/** Another service answered with an error. Unhandled, it reaches the caller as a 502 problem. */
export class UpstreamError extends AppError {
  constructor(
    readonly service: string,
    readonly upstreamStatus: number,
    readonly problem: Problem | undefined,
  ) {
    super("bad_gateway", `${service} answered ${upstreamStatus}${problem?.detail ? `: ${problem.detail}` : ""}`);
    this.name = "UpstreamError";
  }
}

function parseBody(service: string, status: number, text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new UpstreamError(service, status, undefined);
  }
}

export function targetFetch(target: ServiceTarget): { base: string; fetch: FetchLike } {
  if ("app" in target) return { base: "http://in-process", fetch: (req) => target.app.fetch(req) };
  return { base: target.baseUrl.replace(/\/$/, ""), fetch: (req) => fetch(req) };
}

export interface CallOptions<S extends z.ZodType> {
  method?: string;
  body?: unknown;
  query?: Record<string, string | number | undefined>;
  headers?: Record<string, string>;
  tenant?: TenantContext;
  schema?: S;
  signal?: AbortSignal;
}

/**
 * A typed client of another service, built on contracts (a service never imports another's code).
 * @example const catalog = createServiceClient({ service: "catalog", target: { baseUrl }, secret })
 */
export function createServiceClient(opts: { service: string; target: ServiceTarget; secret: string; timeoutMs?: number }) {
  const { base, fetch } = targetFetch(opts.target);
  return {
    service: opts.service,
    fetch,
    base,
    async call<S extends z.ZodType = z.ZodUnknown>(path: string, o: CallOptions<S> = {}): Promise<z.infer<S>> {
      const url = new URL(base + path);
      for (const [k, v] of Object.entries(o.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
      const headers: Record<string, string> = {
        accept: "application/json",
        ...internalHeaders(opts.secret),
        ...(o.tenant ? signTenantHeaders(opts.secret, o.tenant) : {}),
        ...o.headers,
      };
      if (o.body !== undefined) headers["content-type"] = "application/json";
      // While statements are observed (benchmark tooling), the request's trace follows it to the next service.
      const trace = statementTrace.getStore();
      if (trace && !headers.traceparent) headers.traceparent = `00-${trace}-${randomHex(8)}-01`;
      let res: Response;
      try {
        res = await fetch(
          new Request(url, {
            method: o.method ?? (o.body === undefined ? "GET" : "POST"),
            headers,
            ...(o.body !== undefined ? { body: JSON.stringify(o.body) } : {}),
            signal: o.signal ?? AbortSignal.timeout(opts.timeoutMs ?? 10_000),
          }),
        );
      } catch (err) {
        throw new AppError("unavailable", `${opts.service} is unreachable: ${(err as Error).message}`);
      }
      const text = await res.text();
      if (!res.ok) {
        let problem: Problem | undefined;
        try {
          problem = text ? (JSON.parse(text) as Problem) : undefined;
        } catch {
          problem = undefined;
        }
        throw new UpstreamError(opts.service, res.status, problem);
      }
      const json = parseBody(opts.service, res.status, text);
      return (o.schema ? o.schema.parse(json) : json) as z.infer<S>;
    },
  };
}
export type ServiceClient = ReturnType<typeof createServiceClient>;

/** The internal provisioning calls every tenant-holding service answers. */
export function provisioningClient(client: ServiceClient) {
  return {
    service: client.service,
    provision: (req: ProvisionRequest) =>
      client.call("/internal/tenants/provision", { method: "POST", body: req, schema: ProvisionResult }),
    deprovision: (tenantId: string) => client.call(`/internal/tenants/${encodeURIComponent(tenantId)}`, { method: "DELETE" }),
  };
}
export type ProvisioningClient = ReturnType<typeof provisioningClient>;
