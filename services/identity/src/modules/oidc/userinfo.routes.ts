import { API_AUDIENCE, type UserInfo } from "@bazaar/contracts";
import { createRouter } from "@bazaar/service-kit/http";
import type { Context } from "hono";
import type { IdentityCtx, RealmRef } from "../../context.ts";
import { findAccount } from "../accounts/accounts.repo.ts";
import { findActiveSession } from "../sessions/sessions.repo.ts";
import { NO_STORE, OAuthError } from "../tokens/oauth-error.ts";
import { oauth, readForm, realmOf, REALM_PATH } from "./realm.ts";

const invalidToken = (d: string) => new OAuthError("invalid_token", d, 401);

/**
 * Who an access token belongs to. The token must be signed by our keys for THIS realm's issuer (a
 * token from another realm is refused) and its session must still be active.
 */
export async function userInfo(ctx: IdentityCtx, ref: RealmRef, token: string): Promise<UserInfo> {
  let payload: Record<string, unknown>;
  try {
    payload = await ctx.keys.verify(token, { issuer: ref.issuer, audience: API_AUDIENCE });
  } catch {
    throw invalidToken("Token verification failed");
  }
  const { sub, sid, typ } = payload;
  if (typ !== "Bearer" || typeof sub !== "string" || typeof sid !== "string") throw invalidToken("Not an access token");
  const account = await ctx.tenancy.withTenant(ref.tenantId, async (tx) =>
    (await findActiveSession(tx, sid, { now: ctx.clock(), idleSeconds: ctx.settings.lifetimes.ssoIdle })) ? findAccount(tx, sub) : undefined,
  );
  if (!account) throw invalidToken("Session not active");
  return {
    sub: account.id,
    email: account.email,
    email_verified: account.emailVerified,
    preferred_username: account.email,
    ...(account.name ? { name: account.name } : {}),
    realm_access: { roles: account.roles },
  };
}

async function bearer(c: Context): Promise<string> {
  const header = c.req.header("authorization");
  const m = header?.match(/^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i);
  if (m) return m[1]!;
  if (!header && c.req.method === "POST") {
    const token = (await readForm(c)).access_token;
    if (token) return token;
  }
  throw invalidToken("Missing bearer token");
}

export function userinfoRoutes(ctx: IdentityCtx) {
  const handler = (c: Context) => oauth(c, async () => c.json(await userInfo(ctx, realmOf(c, ctx), await bearer(c)), 200, NO_STORE));
  return createRouter()
    .get(`${REALM_PATH}/protocol/openid-connect/userinfo`, handler)
    .post(`${REALM_PATH}/protocol/openid-connect/userinfo`, handler);
}
