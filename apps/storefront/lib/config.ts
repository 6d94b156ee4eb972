// The only place the storefront reads its environment.

export interface StorefrontConfig {
  /** Origin of the Bazaar gateway. */
  gatewayUrl: string;
  /** Host suffix under which `<slug>.<baseDomain>` names a store (besides `.localhost`). */
  baseDomain: string | null;
  /** Store shown on a plain `localhost` / `127.0.0.1`. */
  defaultStore: string;
  /** Give up on a gateway request after this many ms. */
  gatewayTimeoutMs: number;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): StorefrontConfig {
  return {
    gatewayUrl: env.BAZAAR_GATEWAY_URL || "http://127.0.0.1:8080",
    baseDomain: env.BAZAAR_STORE_BASE_DOMAIN?.trim().replace(/^\.+/, "").toLowerCase() || null,
    defaultStore: env.BAZAAR_DEFAULT_STORE || "acme",
    gatewayTimeoutMs: Number(env.BAZAAR_GATEWAY_TIMEOUT_MS) || 5000,
  };
}
