import { BazaarApiError, createBazaarClient } from "@bazaar/sdk";
import { loadConfig } from "../lib/config";
import { TenantsView, type InitialTenants } from "./tenants-view";

export const dynamic = "force-dynamic";

/**
 * The operator's tenant list. With the bootstrap token configured (`pnpm start` does), the server
 * renders it at once; an operator who signs in gets it from the gateway with their own token,
 * fetched in the browser.
 */
export default async function Home({ searchParams }: { searchParams: Promise<{ cursor?: string | string[] }> }) {
  const config = loadConfig();
  const { cursor: rawCursor } = await searchParams;
  const cursor = typeof rawCursor === "string" ? rawCursor : null;

  let initial: InitialTenants = { kind: "none" };
  if (config.adminToken) {
    const api = createBazaarClient({ baseUrl: config.gatewayUrl, token: config.adminToken, timeoutMs: config.gatewayTimeoutMs });
    try {
      initial = { kind: "page", page: await api.platformTenants({ limit: 100, cursor }) };
    } catch (err) {
      initial =
        err instanceof BazaarApiError && (err.status === 401 || err.status === 403)
          ? { kind: "refused", message: err.message }
          : { kind: "unreachable", message: err instanceof Error ? err.message : String(err), gatewayUrl: config.gatewayUrl };
    }
  }

  return (
    <main className="page">
      <TenantsView initial={initial} cursor={cursor} apiUrl={config.publicUrl} />
    </main>
  );
}
