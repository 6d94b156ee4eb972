import type { TokenResponse } from "@bazaar/contracts";
import type { Tx } from "@bazaar/service-kit/db";
import type { IdentityCtx, RealmRef } from "../../context.ts";
import { sha256 } from "../../lib/crypto.ts";
import { newId } from "../../lib/ids.ts";
import { findAccount, type AccountRow } from "../accounts/accounts.repo.ts";
import { authenticate } from "../accounts/accounts.service.ts";
import { findClient, type ClientRow } from "../clients/clients.service.ts";
import { createSession, endSession, findActiveSession, touchSession, type SessionRow } from "../sessions/sessions.repo.ts";
import { INVALID_CREDENTIALS, invalidClient, invalidGrant, invalidRequest, OAuthError } from "./oauth-error.ts";
import { grantedScope, mintTokens, readRefreshToken } from "./tokens.mint.ts";
import { lockCode, lockRefreshToken, markCodeUsed, markRefreshUsed, revokeFamily } from "./tokens.repo.ts";

export type Form = Record<string, string | undefined>;

const str = (form: Form, key: string) => {
  const v = form[key];
  return typeof v === "string" && v.length <= 4096 ? v : undefined;
};

/** The client named in the request. Only public clients exist so far: no client secret to check. */
export async function requireClient(ctx: IdentityCtx, ref: RealmRef, clientId: string | undefined): Promise<ClientRow> {
  if (!clientId) throw invalidRequest("Missing parameter: client_id");
  const client = await ctx.tenancy.withTenant(ref.tenantId, (tx) => findClient(tx, clientId));
  if (!client || !client.public) throw invalidClient();
  return client;
}

/** Start a session for a freshly authenticated account (password grant, login form). */
export async function startSession(ctx: IdentityCtx, tx: Tx, account: AccountRow): Promise<SessionRow> {
  const now = ctx.clock();
  return createSession(tx, {
    id: newId("session"),
    accountId: account.id,
    authTime: now,
    lastSeenAt: now,
    expiresAt: new Date(now.getTime() + ctx.settings.lifetimes.ssoMax * 1000),
  });
}

/** `grant_type=password`: direct login with username (email) and password. */
export async function passwordGrant(ctx: IdentityCtx, ref: RealmRef, form: Form): Promise<TokenResponse> {
  const client = await requireClient(ctx, ref, str(form, "client_id"));
  if (!client.directAccessGrants) throw new OAuthError("unauthorized_client", "Client not allowed for direct access grants");
  const username = str(form, "username");
  const password = str(form, "password");
  if (!username || !password) throw invalidRequest("Missing parameter: username or password");
  const account = await authenticate(ctx, ref, username, password);
  if (!account) throw new OAuthError("invalid_grant", INVALID_CREDENTIALS, 401);
  return ctx.tenancy.withTenant(ref.tenantId, async (tx) => {
    const session = await startSession(ctx, tx, account);
    return mintTokens(ctx, ref, tx, { account, session, clientId: client.clientId, scope: grantedScope(str(form, "scope")), nonce: null, familyId: newId("family") });
  });
}

const VERIFIER_RE = /^[A-Za-z0-9._~-]{43,128}$/;

type Outcome = { tokens: TokenResponse } | { error: string };

/** Throw the refusal only after the transaction committed what a refusal must change (revocations). */
function settle(outcome: Outcome): TokenResponse {
  if ("error" in outcome) throw invalidGrant(outcome.error);
  return outcome.tokens;
}

/**
 * `grant_type=authorization_code` with PKCE (S256). A code works once: presenting it again ends
 * the session it created and revokes the refresh tokens issued from it (RFC 6749 4.1.2).
 */
export async function codeGrant(ctx: IdentityCtx, ref: RealmRef, form: Form): Promise<TokenResponse> {
  const client = await requireClient(ctx, ref, str(form, "client_id"));
  const code = str(form, "code");
  const redirectUri = str(form, "redirect_uri");
  const verifier = str(form, "code_verifier");
  if (!code) throw invalidRequest("Missing parameter: code");
  const now = ctx.clock();
  const outcome = await ctx.tenancy.withTenant(ref.tenantId, async (tx): Promise<Outcome> => {
    const row = await lockCode(tx, sha256(code));
    if (!row || row.clientId !== client.clientId) return { error: "Code not valid" };
    if (row.usedAt) {
      if (row.familyId) await revokeFamily(tx, row.familyId, now);
      await endSession(tx, row.sessionId, now);
      ctx.logger.warn({ tenantId: ref.tenantId, sessionId: row.sessionId }, "authorization code presented twice; session ended");
      return { error: "Code not valid" };
    }
    if (row.expiresAt <= now) return { error: "Code not valid" };
    if (row.redirectUri !== redirectUri) return { error: "Incorrect redirect_uri" };
    if (row.codeChallenge) {
      if (!verifier || !VERIFIER_RE.test(verifier)) return { error: "PKCE code verifier not specified or not valid" };
      if (row.codeChallengeMethod !== "S256" || sha256(verifier) !== row.codeChallenge) return { error: "PKCE verification failed" };
    } else if (client.public || verifier) {
      return { error: "PKCE is required for this client" };
    }
    const session = await findActiveSession(tx, row.sessionId, { now, idleSeconds: ctx.settings.lifetimes.ssoIdle });
    const account = session && (await findAccount(tx, row.accountId));
    if (!session || !account) return { error: "Session not active" };
    const familyId = newId("family");
    await markCodeUsed(tx, row.codeHash, now, familyId);
    return { tokens: await mintTokens(ctx, ref, tx, { account, session, clientId: client.clientId, scope: row.scope, nonce: row.nonce, familyId }) };
  });
  return settle(outcome);
}

/**
 * `grant_type=refresh_token` with rotation: each refresh token works once and is replaced. Presenting
 * a used one means it was copied: the whole family is revoked and the session ended.
 */
export async function refreshGrant(ctx: IdentityCtx, ref: RealmRef, form: Form): Promise<TokenResponse> {
  const client = await requireClient(ctx, ref, str(form, "client_id"));
  const token = str(form, "refresh_token");
  if (!token) throw invalidRequest("Missing parameter: refresh_token");
  const claims = await readRefreshToken(ctx, ref, token);
  if (!claims) throw invalidGrant("Invalid refresh token");
  if (claims.azp !== client.clientId) throw invalidGrant("Invalid refresh token. Token client and authorized client don't match");
  const now = ctx.clock();
  const outcome = await ctx.tenancy.withTenant(ref.tenantId, async (tx): Promise<Outcome> => {
    const row = await lockRefreshToken(tx, claims.jti);
    if (!row || row.clientId !== client.clientId) return { error: "Invalid refresh token" };
    if (row.revokedAt || row.expiresAt <= now) return { error: "Token is not active" };
    if (row.usedAt) {
      await revokeFamily(tx, row.familyId, now);
      await endSession(tx, row.sessionId, now);
      ctx.logger.warn({ tenantId: ref.tenantId, sessionId: row.sessionId }, "refresh token reused; family revoked, session ended");
      return { error: "Token is not active" };
    }
    const session = await findActiveSession(tx, row.sessionId, { now, idleSeconds: ctx.settings.lifetimes.ssoIdle });
    const account = session && (await findAccount(tx, row.accountId));
    if (!session || !account) return { error: "Session not active" };
    await markRefreshUsed(tx, row.jti, now);
    await touchSession(tx, session.id, now);
    return { tokens: await mintTokens(ctx, ref, tx, { account, session, clientId: client.clientId, scope: row.scope, nonce: row.nonce, familyId: row.familyId }) };
  });
  return settle(outcome);
}

/** End the session a refresh token belongs to (Keycloak's POST logout). */
export async function logoutWithRefreshToken(ctx: IdentityCtx, ref: RealmRef, form: Form): Promise<void> {
  const client = await requireClient(ctx, ref, str(form, "client_id"));
  const claims = await readRefreshToken(ctx, ref, str(form, "refresh_token") ?? "");
  if (!claims) throw invalidGrant("Invalid refresh token");
  if (claims.azp !== client.clientId) throw invalidGrant("Invalid refresh token. Token client and authorized client don't match");
  await ctx.tenancy.withTenant(ref.tenantId, (tx) => endSession(tx, claims.sid, ctx.clock()));
}
