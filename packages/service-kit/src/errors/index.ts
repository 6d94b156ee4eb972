import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { HTTPException } from "hono/http-exception";
import { ZodError, type z } from "zod";
import type { Problem } from "@bazaar/contracts";

/** One closed table of error codes (CONVENTIONS.md #6). `type` URIs are stable. */
export const ERROR_CODES = {
  bad_request: { status: 400, title: "Bad request" },
  invalid_tenant: { status: 400, title: "Invalid store identifier" },
  unauthorized: { status: 401, title: "Authentication required" },
  forbidden: { status: 403, title: "Forbidden" },
  tenant_suspended: { status: 403, title: "Store suspended" },
  not_found: { status: 404, title: "Not found" },
  tenant_not_found: { status: 404, title: "Store not found" },
  conflict: { status: 409, title: "Conflict" },
  out_of_stock: { status: 409, title: "Out of stock" },
  payload_too_large: { status: 413, title: "Payload too large" },
  unsupported_media_type: { status: 415, title: "Unsupported media type" },
  validation_failed: { status: 422, title: "Validation failed" },
  rate_limited: { status: 429, title: "Too many requests" },
  internal: { status: 500, title: "Internal server error" },
  bad_gateway: { status: 502, title: "Upstream service failed" },
  unavailable: { status: 503, title: "Service unavailable" },
} as const satisfies Record<string, { status: number; title: string }>;
export type ErrorCode = keyof typeof ERROR_CODES;

export interface FieldError {
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly detail?: string,
    readonly errors?: FieldError[],
  ) {
    super(detail ?? ERROR_CODES[code].title);
    this.name = "AppError";
    this.status = ERROR_CODES[code].status;
  }
}

export const problemType = (code: ErrorCode) => `https://bazaar.dev/problems/${code.replace(/_/g, "-")}`;

export function zodFieldErrors(error: ZodError | z.core.$ZodError): FieldError[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join(".") || "(body)", message: i.message }));
}

export function problemOf(code: ErrorCode, opts: { detail?: string; errors?: FieldError[]; instance?: string; requestId?: string } = {}): Problem {
  const def = ERROR_CODES[code];
  return {
    type: problemType(code),
    title: def.title,
    status: def.status,
    code,
    ...(opts.detail ? { detail: opts.detail } : {}),
    ...(opts.instance ? { instance: opts.instance } : {}),
    ...(opts.requestId ? { requestId: opts.requestId } : {}),
    ...(opts.errors ? { errors: opts.errors } : {}),
  };
}

export function problemResponse(c: Context, code: ErrorCode, opts: { detail?: string; errors?: FieldError[] } = {}): Response {
  const body = problemOf(code, { ...opts, instance: c.req.path, requestId: c.get("requestId" as never) as string | undefined });
  return c.body(JSON.stringify(body), body.status as ContentfulStatusCode, { "content-type": "application/problem+json" });
}

/** Postgres unique violations surface as 409, not 500. drizzle wraps the driver error in `cause`. */
function pgCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let i = 0; i < 3 && e && typeof e === "object"; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Map anything thrown to a problem; unknown errors leak nothing. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof ZodError) return new AppError("validation_failed", "The request is not valid.", zodFieldErrors(err));
  if (err instanceof HTTPException) {
    if (err.status === 413) return new AppError("payload_too_large", err.message || undefined);
    if (err.status === 401) return new AppError("unauthorized", err.message || undefined);
    if (err.status === 415) return new AppError("unsupported_media_type", "Send the body as application/json.");
    if (err.status >= 400 && err.status < 500) return new AppError("bad_request", err.message || "Malformed request.");
  }
  const pg = pgCode(err);
  if (pg === "23505") return new AppError("conflict", "A record with the same unique value exists.");
  if (pg === "22P02" || pg === "22003") return new AppError("bad_request", "A value has the wrong format.");
  if (pg === "22021" || pg === "22P05") return new AppError("bad_request", "A value contains characters that cannot be stored.");
  return new AppError("internal", "Something went wrong on our side. The request id identifies it in our logs.");
}
