import { StoreInfo } from "@bazaar/contracts";
import type { ServiceClient } from "@bazaar/service-kit/clients";
import type { TenantContext } from "@bazaar/service-kit/tenancy";

/**
 * The store's display name for messages, from the tenant service (`GET /api/v1/store`), kept a
 * minute. A store whose sender name is set never needs it; when the tenant service cannot answer,
 * the slug stands in (a message is never held back for its greeting).
 */
export function storeNames(client: ServiceClient | undefined, ttlMs = 60_000) {
  const cache = new Map<string, { name: string; until: number }>();
  return async (tenant: TenantContext): Promise<string> => {
    const hit = cache.get(tenant.tenantId);
    if (hit && hit.until > Date.now()) return hit.name;
    if (!client) return tenant.slug;
    try {
      const { name } = await client.call("/api/v1/store", { tenant, schema: StoreInfo });
      cache.set(tenant.tenantId, { name, until: Date.now() + ttlMs });
      return name;
    } catch {
      return tenant.slug;
    }
  };
}
