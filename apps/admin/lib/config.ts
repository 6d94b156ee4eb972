// The only place the admin app reads its environment.

export interface AdminConfig {
  /** Origin of the Bazaar gateway. */
  gatewayUrl: string;
  /** Operator token for the platform API, until the admin has its own login. */
  adminToken: string;
  gatewayTimeoutMs: number;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): AdminConfig {
  return {
    gatewayUrl: env.BAZAAR_GATEWAY_URL || "http://127.0.0.1:8080",
    adminToken: env.BAZAAR_ADMIN_TOKEN || "bazaar-dev-admin-token",
    gatewayTimeoutMs: Number(env.BAZAAR_GATEWAY_TIMEOUT_MS) || 5000,
  };
}
