import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { IdentityCtx, RealmRef } from "../../context.ts";
import { hmac, safeEqual } from "../../lib/crypto.ts";

/** The browser's login at the identity provider (Keycloak's KEYCLOAK_IDENTITY), one per realm. */
export const SSO_COOKIE = "BAZAAR_IDENTITY";

const cookiePath = (ref: RealmRef) => `/auth/realms/${ref.realm}/`;
const sign = (ctx: IdentityCtx, ref: RealmRef, sid: string) => hmac(ctx.secrets.cookie, `${ref.realm}:${sid}`);

export function setSsoCookie(c: Context, ctx: IdentityCtx, ref: RealmRef, sid: string, expiresAt: Date): void {
  setCookie(c, SSO_COOKIE, `${sid}.${sign(ctx, ref, sid)}`, {
    path: cookiePath(ref),
    httpOnly: true,
    sameSite: "Lax",
    secure: ctx.settings.publicUrl.startsWith("https:"),
    maxAge: Math.max(0, Math.floor((expiresAt.getTime() - ctx.clock().getTime()) / 1000)),
  });
}

/** The session id in a validly signed cookie for this realm, if any (the session may still have ended). */
export function readSsoCookie(c: Context, ctx: IdentityCtx, ref: RealmRef): string | undefined {
  const value = getCookie(c, SSO_COOKIE);
  if (!value || value.length > 200) return undefined;
  const dot = value.indexOf(".");
  const sid = value.slice(0, dot);
  return dot > 0 && safeEqual(value.slice(dot + 1), sign(ctx, ref, sid)) ? sid : undefined;
}

export function clearSsoCookie(c: Context, ref: RealmRef): void {
  deleteCookie(c, SSO_COOKIE, { path: cookiePath(ref) });
}
