import type { Context, MiddlewareHandler } from "hono";
import { Realm } from "@bazaar/contracts";
import { AppError } from "@bazaar/service-kit/errors";
import type { AppEnv } from "@bazaar/service-kit/http";
import { issuerOf, type IdentityCtx, type RealmRef } from "../../context.ts";
import type { Form } from "../tokens/tokens.grants.ts";
import { invalidRequest, OAuthError, oauthErrorResponse } from "../tokens/oauth-error.ts";

export const REALM_PATH = "/auth/realms/:realm";

/**
 * Resolve `{realm}` once: validated by its schema before any lookup (a malformed name is a 400),
 * then to a provisioned tenant (else 404). The result rides in `c.var.tenant` (slug = realm).
 */
export function resolveRealm(ctx: IdentityCtx): MiddlewareHandler<AppEnv> {
  return async function resolveRealm(c, next) {
    const parsed = Realm.safeParse(c.req.param("realm"));
    if (!parsed.success) throw new AppError("bad_request", "The realm name is not valid.");
    const placement = await ctx.tenancy.findBySlug(parsed.data);
    if (!placement || placement.status !== "ready") throw new AppError("not_found", "Realm does not exist.");
    c.set("tenant", { tenantId: placement.tenantId, slug: placement.slug });
    const log = c.get("log");
    if (log) c.set("log", log.child({ tenantId: placement.tenantId }));
    await next();
  };
}

export function realmOf(c: Context<AppEnv>, ctx: IdentityCtx): RealmRef {
  const { tenantId, slug } = c.get("tenant");
  return { realm: slug, tenantId, issuer: issuerOf(ctx.settings, slug) };
}

/** An OAuth form body (`application/x-www-form-urlencoded`); a repeated parameter is an error (RFC 6749 3.1). */
export async function readForm(c: Context): Promise<Form> {
  const type = (c.req.header("content-type") ?? "").toLowerCase();
  if (!type.startsWith("application/x-www-form-urlencoded")) throw invalidRequest("The body must be application/x-www-form-urlencoded");
  const body = await c.req.parseBody({ all: true });
  const form: Form = {};
  for (const [key, value] of Object.entries(body)) {
    if (typeof value !== "string") throw invalidRequest(`Parameter ${key.slice(0, 50)} must appear once`);
    form[key] = value;
  }
  return form;
}

/** Run an OAuth handler: OAuthErrors become OAuth's JSON, anything else goes to the problem handler. */
export async function oauth(c: Context, fn: () => Promise<Response>): Promise<Response> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof OAuthError) return oauthErrorResponse(c, err);
    throw err;
  }
}
