import { createRoute } from "@hono/zod-openapi";
import { SkuLookupBody, SkuLookupResult } from "@bazaar/contracts";
import { createRouter } from "@bazaar/service-kit/http";
import { requireInternal, requireTenant, type Tenancy } from "@bazaar/service-kit/tenancy";
import { lookupSkus } from "./internal.service.ts";

export const SKU_LOOKUP_PATH = "/internal/catalog/skus";

/**
 * `/internal/catalog/*`: calls from other services (never routed by the gateway). Each needs the
 * platform's internal secret and a signed store context; the store named there is the only one read.
 */
export function internalRoutes(deps: { tenancy: Tenancy; secret: string }) {
  const router = createRouter();
  router.use("/internal/catalog/*", requireInternal({ secret: deps.secret }), requireTenant({ secret: deps.secret }));
  return router.openapi(
    createRoute({
      method: "post",
      path: SKU_LOOKUP_PATH,
      hide: true,
      request: { body: { content: { "application/json": { schema: SkuLookupBody } }, required: true } },
      responses: { 200: { description: "Price, stock and status per known SKU", content: { "application/json": { schema: SkuLookupResult } } } },
    }),
    async (c) => c.json({ items: await lookupSkus(deps.tenancy, c.get("tenant").tenantId, c.req.valid("json").skus) }, 200),
  );
}
