import { createRoute, z } from "@hono/zod-openapi";
import { CreateTenantBody, PageQuery, Problem, Tenant, TenantId, TenantResolution, TenantSlug, UpdateTenantBody, page } from "@bazaar/contracts";
import { AppError } from "@bazaar/service-kit/errors";
import { createRouter } from "@bazaar/service-kit/http";
import * as svc from "./tenants.service.ts";

const problem = { "application/problem+json": { schema: Problem } };
const json = <T extends z.ZodType>(schema: T) => ({ "application/json": { schema } });
const IdParam = z.object({ id: TenantId });

export function tenantRoutes(deps: svc.TenantsDeps & { afterCreate?: (t: Tenant, input: CreateTenantBody) => Promise<void>; deprovisioners: Parameters<typeof svc.removeTenant>[2] }) {
  return createRouter()
    .openapi(
      createRoute({
        method: "post",
        path: "/api/v1/platform/tenants",
        tags: ["Operator"],
        summary: "Create a store and provision it in every service",
        request: { body: { required: true, content: json(CreateTenantBody) } },
        responses: {
          201: { description: "Created; `services` tells each service's provisioning status", content: json(Tenant) },
          200: { description: "Same request repeated: the existing tenant", content: json(Tenant) },
          409: { description: "Slug taken", content: problem },
          422: { description: "Invalid body", content: problem },
        },
      }),
      async (c) => {
        const input = c.req.valid("json");
        const { tenant, created } = await svc.createTenant(deps, input);
        if (created) await deps.afterCreate?.(tenant, input);
        return c.json(tenant, created ? 201 : 200);
      },
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/api/v1/platform/tenants",
        tags: ["Operator"],
        summary: "All tenants with their status",
        request: { query: PageQuery },
        responses: { 200: { description: "A page of tenants", content: json(page(Tenant)) } },
      }),
      async (c) => {
        const q = c.req.valid("query");
        return c.json(await svc.listTenantPage(deps, { limit: q.limit, ...(q.cursor ? { cursor: q.cursor } : {}) }), 200);
      },
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/api/v1/platform/tenants/{id}",
        tags: ["Operator"],
        request: { params: IdParam },
        responses: { 200: { description: "Tenant", content: json(Tenant) }, 404: { description: "Unknown", content: problem } },
      }),
      async (c) => c.json(await svc.loadTenant(deps, c.req.valid("param").id), 200),
    )
    .openapi(
      createRoute({
        method: "patch",
        path: "/api/v1/platform/tenants/{id}",
        tags: ["Operator"],
        summary: "Suspend, resume or rename",
        request: { params: IdParam, body: { required: true, content: json(UpdateTenantBody) } },
        responses: { 200: { description: "Tenant", content: json(Tenant) }, 404: { description: "Unknown", content: problem } },
      }),
      async (c) => {
        const body = c.req.valid("json");
        return c.json(await svc.updateTenant(deps, c.req.valid("param").id, body), 200);
      },
    )
    .openapi(
      createRoute({
        method: "post",
        path: "/api/v1/platform/tenants/{id}/provision",
        tags: ["Operator"],
        summary: "Retry provisioning in the services that failed",
        request: { params: IdParam },
        responses: { 200: { description: "Tenant after the retry", content: json(Tenant) }, 404: { description: "Unknown", content: problem } },
      }),
      async (c) => c.json(await svc.provision(deps, c.req.valid("param").id), 200),
    )
    .openapi(
      createRoute({
        method: "delete",
        path: "/api/v1/platform/tenants/{id}",
        tags: ["Operator"],
        summary: "Delete a store and its data in every service",
        request: { params: IdParam },
        responses: { 204: { description: "Deleted" }, 404: { description: "Unknown", content: problem } },
      }),
      async (c) => {
        await svc.removeTenant(deps, c.req.valid("param").id, deps.deprovisioners);
        return c.body(null, 204);
      },
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/internal/tenants/resolve",
        hide: true,
        request: { query: z.object({ slug: TenantSlug.optional(), host: z.string().min(1).max(253).regex(/^[a-z0-9.-]+$/).optional() }) },
        responses: { 200: { description: "Resolution", content: json(TenantResolution) }, 404: { description: "Unknown", content: problem } },
      }),
      async (c) => {
        const q = c.req.valid("query");
        if (!q.slug && !q.host) throw new AppError("bad_request", "Give slug or host.");
        return c.json(await svc.resolveTenant(deps, q), 200);
      },
    );
}
