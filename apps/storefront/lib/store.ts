import { cache } from "react";
import { headers } from "next/headers";
import { BazaarApiError, createBazaarClient, type BazaarClient } from "@bazaar/sdk";
import { loadConfig } from "./config";
import { storeFromHost, type StoreRef } from "./host";

/** The store of this request and an API client bound to it. Cached per request. */
export const getStoreClient = cache(async (): Promise<{ ref: StoreRef; api: BazaarClient }> => {
  const config = loadConfig();
  const h = await headers();
  const ref = storeFromHost(h.get("x-forwarded-host") ?? h.get("host"), config);
  const api = createBazaarClient({ baseUrl: config.gatewayUrl, timeoutMs: config.gatewayTimeoutMs, headers: storeHeaders(ref) });
  return { ref, api };
});

/** How the gateway learns which store a request is for: its slug as X-Tenant, or a custom domain's host. */
export function storeHeaders(ref: StoreRef): Record<string, string> {
  return "slug" in ref ? { "x-tenant": ref.slug } : { "x-forwarded-host": ref.host };
}

export type StoreResult =
  | { kind: "ok"; store: Awaited<ReturnType<BazaarClient["store"]>> }
  | { kind: "not-found" | "suspended" | "unavailable"; ref: StoreRef; detail: string };

/** The current store, or why it can't be shown. Never throws. Cached per request. */
export const getStore = cache(async (): Promise<StoreResult> => {
  const { ref, api } = await getStoreClient();
  try {
    return { kind: "ok", store: await api.store() };
  } catch (err) {
    return { ref, ...describeError(err) };
  }
});

export function describeError(err: unknown): { kind: "not-found" | "suspended" | "unavailable"; detail: string } {
  if (err instanceof BazaarApiError) {
    if (err.status === 404) return { kind: "not-found", detail: err.message };
    if (err.code === "tenant_suspended") return { kind: "suspended", detail: err.message };
    return { kind: "unavailable", detail: err.message };
  }
  return { kind: "unavailable", detail: err instanceof Error ? err.message : String(err) };
}

export const refLabel = (ref: StoreRef) => ("slug" in ref ? ref.slug : ref.host);
