// The only place the storefront reads its environment.

export interface StorefrontConfig {
  /** Origin of the Bazaar gateway for this server's own requests (`BAZAAR_GATEWAY_URL`). */
  gatewayUrl: string;
  /** The gateway's origin as browsers reach it (`BAZAAR_PUBLIC_URL` / `PUBLIC_URL`). */
  publicUrl: string;
  /** keycloak-js `url` for shoppers' sign-in in the browser: `${public gateway URL}/auth`, or `KEYCLOAK_URL`. */
  authUrl: string;
  /** Host suffix under which `<slug>.<baseDomain>` names a store (besides `.localhost`). */
  baseDomain: string | null;
  /** Store shown on a plain `localhost` / `127.0.0.1`. */
  defaultStore: string;
  /** Give up on a gateway request after this many ms. */
  gatewayTimeoutMs: number;
}

const trimSlash = (url: string) => url.replace(/\/+$/, "");

export function loadConfig(env: Record<string, string | undefined> = process.env): StorefrontConfig {
  // The browser reaches the gateway at its public URL (`PUBLIC_URL`, the tokens' issuer base).
  const publicUrl = trimSlash(env.BAZAAR_PUBLIC_URL || env.PUBLIC_URL || env.BAZAAR_GATEWAY_URL || "http://localhost:8080");
  return {
    gatewayUrl: env.BAZAAR_GATEWAY_URL || "http://127.0.0.1:8080",
    publicUrl,
    authUrl: env.KEYCLOAK_URL ? trimSlash(env.KEYCLOAK_URL) : `${publicUrl}/auth`,
    baseDomain: env.BAZAAR_STORE_BASE_DOMAIN?.trim().replace(/^\.+/, "").toLowerCase() || null,
    defaultStore: env.BAZAAR_DEFAULT_STORE || "acme",
    gatewayTimeoutMs: Number(env.BAZAAR_GATEWAY_TIMEOUT_MS) || 5000,
  };
}
