import { createHmac, timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { IdentityContext, TenantId, TenantSlug } from "@bazaar/contracts";
import { AppError } from "../errors/index.ts";

/** Who the request is for, resolved once by the gateway and carried in signed headers. */
export interface TenantContext {
  tenantId: string;
  slug: string;
}

export const TENANT_HEADERS = {
  id: "x-bazaar-tenant-id",
  slug: "x-bazaar-tenant-slug",
  /** base64url JSON of the caller's IdentityContext, absent for anonymous callers. */
  identity: "x-bazaar-identity",
  signature: "x-bazaar-tenant-sig",
  internal: "x-bazaar-internal",
} as const;

/**
 * HMAC of a context payload. The payloads are deterministic (no timestamp: the internal secret and
 * the signed headers never leave the platform), and a request passes several hops with the same
 * store and caller, each signing and verifying: the last few thousand results are kept.
 */
const macs = new Map<string, string>();
const MAC_MEMO = 4096;
function mac(secret: string, payload: string): string {
  const key = `${secret}\u0000${payload}`;
  let m = macs.get(key);
  if (m === undefined) {
    m = createHmac("sha256", secret).update(payload).digest("base64url");
    if (macs.size >= MAC_MEMO) macs.clear();
    macs.set(key, m);
  }
  return m;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const contextPayload = (tenant: TenantContext | undefined, identity: string) => `ctx:${tenant?.tenantId ?? ""}:${tenant?.slug ?? ""}:${identity}`;

/**
 * Headers the gateway adds so a service can trust the store and the caller without looking either
 * up again: one HMAC covers both, so neither can be swapped.
 */
export function signTenantHeaders(secret: string, tenant: TenantContext | undefined, identity?: IdentityContext): Record<string, string> {
  const encoded = identity ? Buffer.from(JSON.stringify(identity)).toString("base64url") : "";
  return {
    ...(tenant ? { [TENANT_HEADERS.id]: tenant.tenantId, [TENANT_HEADERS.slug]: tenant.slug } : {}),
    ...(identity ? { [TENANT_HEADERS.identity]: encoded } : {}),
    [TENANT_HEADERS.signature]: mac(secret, contextPayload(tenant, encoded)),
  };
}

/** Header proving a call comes from inside the platform (gateway or another service). */
export function internalHeaders(secret: string): Record<string, string> {
  return { [TENANT_HEADERS.internal]: mac(secret, "internal") };
}

/**
 * Verifies the gateway's signed context and sets `c.var.tenant` (when a store is named) and
 * `c.var.identity` (when the caller is signed in). Anything unsigned, tampered or malformed is refused
 * before it can reach SQL.
 */
export function requireContext(opts: { secret: string; tenant: boolean }): MiddlewareHandler {
  return async function requireContext(c, next) {
    const id = c.req.header(TENANT_HEADERS.id);
    const slug = c.req.header(TENANT_HEADERS.slug);
    const encoded = c.req.header(TENANT_HEADERS.identity) ?? "";
    const sig = c.req.header(TENANT_HEADERS.signature);
    if (opts.tenant && (!id || !slug)) throw new AppError("invalid_tenant", "No store was named for this request.");
    if (!sig) throw new AppError(opts.tenant ? "invalid_tenant" : "unauthorized", "The request did not come through the gateway.");
    if ((id !== undefined || slug !== undefined) && (!TenantId.safeParse(id).success || !TenantSlug.safeParse(slug).success)) {
      throw new AppError("invalid_tenant", "The store identifier is not valid.");
    }
    const tenant = id && slug ? { tenantId: id, slug } : undefined;
    if (!safeEqual(sig, mac(opts.secret, contextPayload(tenant, encoded)))) {
      throw new AppError("forbidden", "The request context is not signed by the gateway.");
    }
    if (tenant) c.set("tenant", tenant satisfies TenantContext);
    if (encoded) {
      const identity = IdentityContext.safeParse(JSON.parse(Buffer.from(encoded, "base64url").toString("utf8")));
      if (!identity.success) throw new AppError("forbidden", "The caller's identity is malformed.");
      c.set("identity", identity.data);
    }
    const log = c.get("log");
    if (log && tenant) c.set("log", log.child({ tenantId: tenant.tenantId }));
    await next();
  };
}

/** `requireContext` for routes that always belong to a store. */
export function requireTenant(opts: { secret: string }): MiddlewareHandler {
  return requireContext({ secret: opts.secret, tenant: true });
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
