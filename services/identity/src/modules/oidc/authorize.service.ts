import type { Tx } from "@bazaar/service-kit/db";
import type { IdentityCtx, RealmRef } from "../../context.ts";
import { randomToken, sha256 } from "../../lib/crypto.ts";
import type { AccountRow } from "../accounts/accounts.repo.ts";
import { findClient, redirectAllowed } from "../clients/clients.service.ts";
import type { SessionRow } from "../sessions/sessions.repo.ts";
import { grantedScope } from "../tokens/tokens.mint.ts";
import { insertCode } from "../tokens/tokens.repo.ts";

export interface AuthRequest {
  clientId: string;
  redirectUri: string;
  responseMode: "query" | "fragment";
  scope: string;
  state?: string;
  nonce?: string;
  codeChallenge?: string;
  prompt?: string;
  loginHint?: string;
}

/** Checked authorization request: refuse on the page (no trusted redirect yet), refuse by redirect, or go. */
export type AuthCheck =
  | { kind: "page"; message: string }
  | { kind: "redirect"; req: AuthRequest; error: string; description: string }
  | { kind: "ok"; req: AuthRequest };

const LIMITS: Record<string, number> = { state: 2000, nonce: 500, scope: 1000, login_hint: 320, prompt: 100 };

/**
 * Validate `/auth` parameters. Client and redirect URI come first: until both are trusted, errors
 * are shown on the page and never redirected (RFC 6749 4.1.2.1).
 */
export async function checkAuthRequest(ctx: IdentityCtx, ref: RealmRef, params: URLSearchParams): Promise<AuthCheck> {
  for (const key of new Set(params.keys())) {
    if (params.getAll(key).length > 1) return { kind: "page", message: `Duplicate parameter: ${key.slice(0, 50)}` };
  }
  const clientId = params.get("client_id");
  const redirectUri = params.get("redirect_uri");
  const client = clientId ? await ctx.tenancy.withTenant(ref.tenantId, (tx) => findClient(tx, clientId)) : undefined;
  if (!client) return { kind: "page", message: "Client not found." };
  if (!redirectUri || !redirectAllowed(client.redirectUris, redirectUri)) return { kind: "page", message: "Invalid parameter: redirect_uri" };
  const mode = params.get("response_mode") ?? "query";
  const opt = (key: string) => params.get(key) ?? undefined;
  const req: AuthRequest = {
    clientId: client.clientId,
    redirectUri,
    responseMode: mode === "fragment" ? "fragment" : "query",
    scope: opt("scope") ?? "openid",
    ...(opt("state") !== undefined ? { state: opt("state")! } : {}),
    ...(opt("nonce") ? { nonce: opt("nonce")! } : {}),
    ...(opt("code_challenge") ? { codeChallenge: opt("code_challenge")! } : {}),
    ...(opt("prompt") ? { prompt: opt("prompt")! } : {}),
    ...(opt("login_hint") ? { loginHint: opt("login_hint")! } : {}),
  };
  const refuse = (error: string, description: string): AuthCheck => ({ kind: "redirect", req, error, description });
  if (mode !== "query" && mode !== "fragment") return refuse("invalid_request", "Invalid parameter: response_mode");
  for (const [key, max] of Object.entries(LIMITS)) {
    if ((params.get(key)?.length ?? 0) > max) return refuse("invalid_request", `Invalid parameter: ${key}`);
  }
  if (params.get("response_type") !== "code") return refuse("unsupported_response_type", "Only response_type=code is supported");
  const method = params.get("code_challenge_method");
  if (req.codeChallenge || method) {
    if (method !== "S256") return refuse("invalid_request", "Invalid parameter: code challenge method is not supported");
    if (!req.codeChallenge || !/^[A-Za-z0-9_-]{43}$/.test(req.codeChallenge)) return refuse("invalid_request", "Invalid parameter: code_challenge");
  } else if (client.public) {
    return refuse("invalid_request", "Missing parameter: code_challenge_method");
  }
  return { kind: "ok", req };
}

/** Issue a single-use code for this login; only its hash is stored. */
export async function issueCode(ctx: IdentityCtx, tx: Tx, req: AuthRequest, account: AccountRow, session: SessionRow): Promise<string> {
  const code = randomToken(32);
  await insertCode(tx, {
    codeHash: sha256(code),
    clientId: req.clientId,
    redirectUri: req.redirectUri,
    codeChallenge: req.codeChallenge ?? null,
    codeChallengeMethod: req.codeChallenge ? "S256" : null,
    accountId: account.id,
    sessionId: session.id,
    scope: grantedScope(req.scope),
    nonce: req.nonce ?? null,
    expiresAt: new Date(ctx.clock().getTime() + ctx.settings.lifetimes.authorizationCode * 1000),
  });
  return code;
}

/** The redirect back to the client, answer in the query or (keycloak-js's default) the fragment. */
export function callbackUrl(ref: RealmRef, req: AuthRequest, answer: Record<string, string>): string {
  const url = new URL(req.redirectUri);
  const params = { ...answer, ...(req.state !== undefined ? { state: req.state } : {}), iss: ref.issuer };
  if (req.responseMode === "fragment") {
    url.hash = new URLSearchParams(params).toString();
  } else {
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  }
  return url.toString();
}
