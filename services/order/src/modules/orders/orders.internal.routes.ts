import { createRoute, type z } from "@hono/zod-openapi";
import { InternalOrder, Problem } from "@bazaar/contracts";
import { createRouter } from "@bazaar/service-kit/http";
import { requireInternal, requireTenant } from "@bazaar/service-kit/tenancy";
import { OrderIdParam } from "./orders.routes.ts";
import type { OrdersService } from "./orders.service.ts";

const json = <T extends z.ZodType>(schema: T) => ({ "application/json": { schema } });

/**
 * `/internal/orders/*`: reads for other services (never routed by the gateway). Each call needs the
 * platform's internal secret and a signed store context.
 */
export function internalOrderRoutes(deps: { orders: OrdersService; secret: string }) {
  const router = createRouter();
  router.use("/internal/orders/*", requireInternal({ secret: deps.secret }), requireTenant({ secret: deps.secret }));
  return router.openapi(
    createRoute({
      method: "get",
      path: "/internal/orders/{id}",
      hide: true,
      request: { params: OrderIdParam },
      responses: { 200: { description: "The order, its history and its shopper", content: json(InternalOrder) }, 404: { description: "Not in this store", content: { "application/problem+json": { schema: Problem } } } },
    }),
    async (c) => c.json(await deps.orders.internal(c.get("tenant").tenantId, c.req.valid("param").id), 200),
  );
}
