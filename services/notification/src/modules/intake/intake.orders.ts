import { InternalOrder } from "@bazaar/contracts";
import type { ServiceClient } from "@bazaar/service-kit/clients";
import type { TenantContext } from "@bazaar/service-kit/tenancy";

export type OrderReader = (tenant: TenantContext, orderId: string) => Promise<InternalOrder>;

/** Reads an order (lines, totals, address, the shopper who placed it) from the order service's internal route. */
export function orderReader(client: ServiceClient): OrderReader {
  return (tenant, orderId) => client.call(`/internal/orders/${encodeURIComponent(orderId)}`, { tenant, schema: InternalOrder });
}
