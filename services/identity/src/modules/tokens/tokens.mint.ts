import { SignJWT, jwtVerify } from "jose";
import { API_AUDIENCE, type TokenResponse } from "@bazaar/contracts";
import type { Tx } from "@bazaar/service-kit/db";
import { epoch, type IdentityCtx, type RealmRef } from "../../context.ts";
import { randomToken } from "../../lib/crypto.ts";
import type { AccountRow } from "../accounts/accounts.repo.ts";
import { SIGNING_ALG } from "../keys/keys.service.ts";
import type { SessionRow } from "../sessions/sessions.repo.ts";
import { insertRefreshToken } from "./tokens.repo.ts";

export interface Grant {
  account: AccountRow;
  session: SessionRow;
  clientId: string;
  scope: string;
  nonce: string | null;
  familyId: string;
}

const SUPPORTED_SCOPES = ["openid", "profile", "email"];

/** What is granted: `openid` when asked for, plus `profile email` always (Keycloak's default client scopes). */
export function grantedScope(requested: string | undefined): string {
  const asked = new Set((requested ?? "").split(" ").filter(Boolean));
  return SUPPORTED_SCOPES.filter((s) => s !== "openid" || asked.has("openid")).join(" ");
}

/**
 * Issue an access token (ES256, for the API and the client), a refresh token (HS256 like Keycloak's:
 * only identity reads it, so key rotation never strands it) and, with `openid`, an id token.
 * The refresh token's row is written in `tx`.
 */
export async function mintTokens(ctx: IdentityCtx, ref: RealmRef, tx: Tx, g: Grant): Promise<TokenResponse> {
  const now = ctx.clock();
  const iat = epoch(now);
  const accessExp = iat + ctx.settings.lifetimes.accessToken;
  const refreshExpiresAt = new Date(Math.min(now.getTime() + ctx.settings.lifetimes.ssoIdle * 1000, g.session.expiresAt.getTime()));
  const jti = randomToken(16);
  await insertRefreshToken(tx, {
    jti,
    familyId: g.familyId,
    sessionId: g.session.id,
    accountId: g.account.id,
    clientId: g.clientId,
    scope: g.scope,
    nonce: g.nonce,
    issuedAt: now,
    expiresAt: refreshExpiresAt,
  });
  const profile = {
    email: g.account.email,
    email_verified: g.account.emailVerified,
    preferred_username: g.account.email,
    ...(g.account.name ? { name: g.account.name } : {}),
  };
  const common = { iat, sid: g.session.id, azp: g.clientId, ...(g.nonce ? { nonce: g.nonce } : {}) };
  const signer = await ctx.keys.signer();
  const sign = (claims: Record<string, unknown>) =>
    new SignJWT(claims).setProtectedHeader({ alg: SIGNING_ALG, kid: signer.kid, typ: "JWT" }).sign(signer.key);

  const accessToken = await sign({
    ...common,
    iss: ref.issuer,
    sub: g.account.id,
    aud: [API_AUDIENCE, g.clientId],
    exp: accessExp,
    jti: randomToken(16),
    typ: "Bearer",
    scope: g.scope,
    session_state: g.session.id,
    realm_access: { roles: g.account.roles },
    ...profile,
  });
  const refreshToken = await new SignJWT({
    ...common,
    iss: ref.issuer,
    sub: g.account.id,
    aud: ref.issuer,
    exp: epoch(refreshExpiresAt),
    jti,
    typ: "Refresh",
    scope: g.scope,
  })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .sign(ctx.secrets.refresh);
  const idToken = g.scope.split(" ").includes("openid")
    ? await sign({ ...common, iss: ref.issuer, sub: g.account.id, aud: g.clientId, exp: accessExp, auth_time: epoch(g.session.authTime), typ: "ID", ...profile })
    : undefined;
  return {
    access_token: accessToken,
    expires_in: accessExp - iat,
    refresh_expires_in: epoch(refreshExpiresAt) - iat,
    refresh_token: refreshToken,
    token_type: "Bearer",
    ...(idToken ? { id_token: idToken } : {}),
    "not-before-policy": 0,
    session_state: g.session.id,
    scope: g.scope,
  };
}

export interface RefreshClaims {
  jti: string;
  sid: string;
  azp: string;
  sub: string;
}

/** A refresh token this realm issued and that has not expired, or undefined. */
export async function readRefreshToken(ctx: IdentityCtx, ref: RealmRef, token: string): Promise<RefreshClaims | undefined> {
  if (token.length > 4096) return undefined;
  try {
    const { payload } = await jwtVerify(token, ctx.secrets.refresh, {
      issuer: ref.issuer,
      audience: ref.issuer,
      algorithms: ["HS256"],
      currentDate: ctx.clock(),
    });
    const { jti, sid, azp, sub, typ } = payload as Record<string, unknown>;
    if (typ !== "Refresh" || typeof jti !== "string" || typeof sid !== "string" || typeof azp !== "string" || typeof sub !== "string") return undefined;
    return { jti, sid, azp, sub };
  } catch {
    return undefined;
  }
}
