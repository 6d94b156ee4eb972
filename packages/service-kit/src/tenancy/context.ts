import { createHmac, timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { TenantId, TenantSlug } from "@bazaar/contracts";
import { AppError } from "../errors/index.ts";

/** Who the request is for, resolved once by the gateway and carried in signed headers. */
export interface TenantContext {
  tenantId: string;
  slug: string;
}

export const TENANT_HEADERS = {
  id: "x-bazaar-tenant-id",
  slug: "x-bazaar-tenant-slug",
  signature: "x-bazaar-tenant-sig",
  internal: "x-bazaar-internal",
} as const;

const mac = (secret: string, payload: string) => createHmac("sha256", secret).update(payload).digest("base64url");

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Headers the gateway adds so a service can trust the tenant without looking it up again. */
export function signTenantHeaders(secret: string, tenant: TenantContext): Record<string, string> {
  return {
    [TENANT_HEADERS.id]: tenant.tenantId,
    [TENANT_HEADERS.slug]: tenant.slug,
    [TENANT_HEADERS.signature]: mac(secret, `tenant:${tenant.tenantId}:${tenant.slug}`),
  };
}

/** Header proving a call comes from inside the platform (gateway or another service). */
export function internalHeaders(secret: string): Record<string, string> {
  return { [TENANT_HEADERS.internal]: mac(secret, "internal") };
}

/**
 * Requires signed tenant headers; sets `c.var.tenant`. Anything unsigned or malformed is refused
 * before it can reach SQL.
 */
export function requireTenant(opts: { secret: string }): MiddlewareHandler {
  return async function requireTenant(c, next) {
    const id = c.req.header(TENANT_HEADERS.id);
    const slug = c.req.header(TENANT_HEADERS.slug);
    const sig = c.req.header(TENANT_HEADERS.signature);
    if (!id || !slug || !sig) throw new AppError("invalid_tenant", "No store was named for this request.");
    if (!TenantId.safeParse(id).success || !TenantSlug.safeParse(slug).success) {
      throw new AppError("invalid_tenant", "The store identifier is not valid.");
    }
    if (!safeEqual(sig, mac(opts.secret, `tenant:${id}:${slug}`))) {
      throw new AppError("forbidden", "The store context is not signed by the gateway.");
    }
    c.set("tenant", { tenantId: id, slug } satisfies TenantContext);
    const log = c.get("log");
    if (log) c.set("log", log.child({ tenantId: id }));
    await next();
  };
}

/** Guards `/internal/*` routes: only callers holding the platform's internal secret. */
export function requireInternal(opts: { secret: string }): MiddlewareHandler {
  const expected = mac(opts.secret, "internal");
  return async function requireInternal(c, next) {
    const got = c.req.header(TENANT_HEADERS.internal);
    if (!got || !safeEqual(got, expected)) throw new AppError("forbidden", "Internal endpoint.");
    await next();
  };
}
