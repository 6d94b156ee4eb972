import { createRoute, z } from "@hono/zod-openapi";
import { ProvisionRequest, ProvisionResult, TenantId } from "@bazaar/contracts";
import { createRouter } from "../http/app.ts";
import { requireInternal } from "./context.ts";
import type { Tenancy } from "./tenancy.ts";

/** `/internal/tenants/*`: the tenant service provisions each service's schema through these. */
export function provisioningRoutes(tenancy: Tenancy, opts: { secret: string }) {
  const router = createRouter();
  router.use("/internal/*", requireInternal({ secret: opts.secret }));
  return router
    .openapi(
      createRoute({
        method: "post",
        path: "/internal/tenants/provision",
        hide: true,
        request: { body: { content: { "application/json": { schema: ProvisionRequest } }, required: true } },
        responses: { 200: { description: "provisioned", content: { "application/json": { schema: ProvisionResult } } } },
      }),
      async (c) => c.json(await tenancy.provision(c.req.valid("json")), 200),
    )
    .openapi(
      createRoute({
        method: "delete",
        path: "/internal/tenants/{tenantId}",
        hide: true,
        request: { params: z.object({ tenantId: TenantId }) },
        responses: { 200: { description: "deprovisioned", content: { "application/json": { schema: z.object({ removed: z.boolean() }) } } } },
      }),
      async (c) => c.json(await tenancy.deprovision(c.req.valid("param").tenantId), 200),
    );
}
