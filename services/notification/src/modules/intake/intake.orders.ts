import { OrderDetail } from "@bazaar/contracts";
import type { ServiceClient } from "@bazaar/service-kit/clients";
import { signTenantHeaders, type TenantContext } from "@bazaar/service-kit/tenancy";

export type OrderReader = (tenant: TenantContext, orderId: string) => Promise<OrderDetail>;

/**
 * Reads an order (lines, totals, address) from the order service. Order events are thin, and the
 * order service has no internal read route yet, so this reads the merchant route as a read-only
 * staff caller of the store, signed with the platform's internal secret like the gateway signs.
 * TODO(order): switch to `GET /internal/orders/{id}` once the order service has it.
 */
export function orderReader(client: ServiceClient, secret: string): OrderReader {
  return (tenant, orderId) =>
    client.call(`/api/v1/admin/orders/${encodeURIComponent(orderId)}`, {
      headers: signTenantHeaders(secret, tenant, { sub: "svc_notification", realm: tenant.slug, roles: ["viewer"] }),
      schema: OrderDetail,
    });
}
