// The only place the admin app reads its environment.

export interface AdminConfig {
  /** Origin of the Bazaar gateway for this server's own requests (`BAZAAR_GATEWAY_URL`). */
  gatewayUrl: string;
  /**
   * Origin of the gateway as the browser reaches it: the operator's API calls go there. It is also
   * the issuer base of tokens (`PUBLIC_URL`), so the login pages live under it.
   */
  publicUrl: string;
  /** keycloak-js `url`: `${publicUrl}/auth` for the built-in provider, or `KEYCLOAK_URL`. */
  authUrl: string;
  /**
   * Bootstrap token (`BAZAAR_ADMIN_TOKEN`): when set, the server renders the tenant list with it
   * until an operator signs in. Unset (production), the console shows tenants only after sign-in.
   */
  adminToken: string | null;
  gatewayTimeoutMs: number;
}

const trimSlash = (url: string) => url.replace(/\/+$/, "");

export function loadConfig(env: Record<string, string | undefined> = process.env): AdminConfig {
  const gatewayUrl = trimSlash(env.BAZAAR_GATEWAY_URL || "http://127.0.0.1:8080");
  const publicUrl = trimSlash(env.BAZAAR_PUBLIC_URL || env.PUBLIC_URL || env.BAZAAR_GATEWAY_URL || "http://localhost:8080");
  return {
    gatewayUrl,
    publicUrl,
    authUrl: env.KEYCLOAK_URL ? trimSlash(env.KEYCLOAK_URL) : `${publicUrl}/auth`,
    adminToken: env.BAZAAR_ADMIN_TOKEN || null,
    gatewayTimeoutMs: Number(env.BAZAAR_GATEWAY_TIMEOUT_MS) || 5000,
  };
}
