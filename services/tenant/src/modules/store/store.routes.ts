import { createRoute } from "@hono/zod-openapi";
import { Problem, StoreInfo } from "@bazaar/contracts";
import { AppError } from "@bazaar/service-kit/errors";
import { createRouter } from "@bazaar/service-kit/http";
import type { Tenancy } from "@bazaar/service-kit/tenancy";
import { getStore } from "./store.service.ts";

export function storeRoutes(deps: { tenancy: Tenancy }) {
  return createRouter().openapi(
    createRoute({
      method: "get",
      path: "/api/v1/store",
      tags: ["Storefront"],
      summary: "The store's name, currency and theme",
      responses: {
        200: { description: "Store", content: { "application/json": { schema: StoreInfo } } },
        404: { description: "Unknown store", content: { "application/problem+json": { schema: Problem } } },
      },
    }),
    async (c) => {
      const tenant = c.get("tenant");
      if (!tenant) throw new AppError("invalid_tenant", "Name the store with the X-Tenant header or its host name.");
      return c.json(await deps.tenancy.withTenant(tenant.tenantId, (tx) => getStore(tx, tenant)), 200);
    },
  );
}
