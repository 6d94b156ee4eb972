import type { Context } from "hono";

/** An OAuth error (RFC 6749 5.2): rendered as `{ error, error_description }`, never problem+json. */
export class OAuthError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
    readonly status: 400 | 401 = 400,
  ) {
    super(description);
    this.name = "OAuthError";
  }
}

export const invalidRequest = (d: string) => new OAuthError("invalid_request", d);
export const invalidGrant = (d: string) => new OAuthError("invalid_grant", d);
export const invalidClient = () => new OAuthError("invalid_client", "Invalid client or Invalid client credentials", 401);
/** The one answer for every failed login: wrong password, unknown user, locked account. */
export const INVALID_CREDENTIALS = "Invalid username or password";

export const NO_STORE = { "cache-control": "no-store", pragma: "no-cache" } as const;

export function oauthErrorResponse(c: Context, err: OAuthError): Response {
  const headers: Record<string, string> = { ...NO_STORE };
  if (err.status === 401 && err.error === "invalid_token") headers["www-authenticate"] = `Bearer error="invalid_token"`;
  return c.json({ error: err.error, error_description: err.description }, err.status, headers);
}
