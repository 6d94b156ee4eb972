import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { hmac, randomToken, safeEqual } from "../../lib/crypto.ts";

/**
 * CSRF protection for identity's own forms: a signed double-submit token.
 *
 * - The browser holds a random nonce in `BAZAAR_CSRF` (HttpOnly, SameSite=Lax, path = the realm,
 *   Secure behind HTTPS), set on the first form page and reused while it lasts.
 * - Each form carries `csrf = iat "." HMAC-SHA256(key, "csrf:" realm ":" form ":" nonce ":" iat)`,
 *   the key derived from the service secret for this purpose only.
 * - A POST is accepted only when the field's MAC matches the cookie it arrived with, for this realm
 *   and this form, and is younger than `maxAgeSeconds`. Another site can neither read the cookie
 *   nor mint a MAC; a token lifted from one realm or form does not open another.
 *
 * There is no session to bind to yet (these pages come before a login), hence the nonce cookie.
 */
export const CSRF_COOKIE = "BAZAAR_CSRF";
export const CSRF_FIELD = "csrf";

const NONCE_RE = /^[A-Za-z0-9_-]{22}$/;
const TOKEN_RE = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/;

export interface CsrfBinding {
  realm: string;
  /** Which form: `register`, `reset-request`, `action-token`. */
  form: string;
  /** The browser's nonce (the cookie). */
  nonce: string;
}

export const newCsrfNonce = () => randomToken(16);

export function csrfToken(key: Buffer, b: CsrfBinding, iat: number): string {
  return `${iat}.${hmac(key, `csrf:${b.realm}:${b.form}:${b.nonce}:${iat}`)}`;
}

/** Is `token` this binding's, minted at most `maxAgeSeconds` before `nowSeconds` (and not in the future)? */
export function csrfTokenValid(key: Buffer, b: CsrfBinding, token: unknown, nowSeconds: number, maxAgeSeconds: number): boolean {
  if (typeof token !== "string" || !NONCE_RE.test(b.nonce)) return false;
  const m = TOKEN_RE.exec(token);
  if (!m) return false;
  const iat = Number(m[1]);
  if (iat > nowSeconds + 60 || nowSeconds - iat > maxAgeSeconds) return false;
  return safeEqual(token, csrfToken(key, b, iat));
}

export interface Csrf {
  /** The token for a form page; sets the nonce cookie if the browser has none. */
  issue(c: Context, realm: string, form: string): string;
  /** Does the submitted token match the browser's cookie for this realm and form? */
  check(c: Context, realm: string, form: string, submitted: unknown): boolean;
}

export function createCsrf(opts: { key: Buffer; clock: () => Date; secure: boolean; maxAgeSeconds?: number }): Csrf {
  const maxAge = opts.maxAgeSeconds ?? 3600;
  const now = () => Math.floor(opts.clock().getTime() / 1000);
  const path = (realm: string) => `/auth/realms/${realm}/`;
  const cookieNonce = (c: Context) => {
    const value = getCookie(c, CSRF_COOKIE);
    return value && NONCE_RE.test(value) ? value : undefined;
  };
  return {
    issue(c, realm, form) {
      let nonce = cookieNonce(c);
      if (!nonce) {
        nonce = newCsrfNonce();
        setCookie(c, CSRF_COOKIE, nonce, { path: path(realm), httpOnly: true, sameSite: "Lax", secure: opts.secure });
      }
      return csrfToken(opts.key, { realm, form, nonce }, now());
    },
    check(c, realm, form, submitted) {
      const nonce = cookieNonce(c);
      return nonce !== undefined && csrfTokenValid(opts.key, { realm, form, nonce }, submitted, now(), maxAge);
    },
  };
}
