import { createRoute, z } from "@hono/zod-openapi";
import { Brand, CategoryNode, CreateBrandBody, CreateCategoryBody, Problem } from "@bazaar/contracts";
import { createRouter } from "@bazaar/service-kit/http";
import type { Tenancy } from "@bazaar/service-kit/tenancy";
import { categoryTree, createBrand, createCategory, listBrands } from "./taxonomy.service.ts";

const problem = { "application/problem+json": { schema: Problem } };
const json = <T extends z.ZodType>(schema: T) => ({ "application/json": { schema } });

/** Categories (a tree) and brands: storefront reads and merchant creation. */
export function taxonomyRoutes(deps: { tenancy: Tenancy }) {
  const { tenancy } = deps;
  return createRouter()
    .openapi(
      createRoute({ method: "get", path: "/api/v1/categories", tags: ["Storefront"], summary: "The store's category tree", responses: { 200: { description: "Tree", content: json(z.object({ items: z.array(CategoryNode) })) } } }),
      async (c) => c.json({ items: await tenancy.withTenant(c.get("tenant").tenantId, categoryTree) }, 200),
    )
    .openapi(
      createRoute({ method: "get", path: "/api/v1/brands", tags: ["Storefront"], summary: "The store's brands", responses: { 200: { description: "Brands", content: json(z.object({ items: z.array(Brand) })) } } }),
      async (c) => c.json({ items: await tenancy.withTenant(c.get("tenant").tenantId, listBrands) }, 200),
    )
    .openapi(
      createRoute({
        method: "post",
        path: "/api/v1/admin/categories",
        tags: ["Merchant"],
        summary: "Create a category (optionally under a parent)",
        request: { body: { required: true, content: json(CreateCategoryBody) } },
        responses: { 201: { description: "Created", content: json(CategoryNode) }, 409: { description: "Slug taken", content: problem }, 422: { description: "Invalid", content: problem } },
      }),
      async (c) => {
        const tenantId = c.get("tenant").tenantId;
        const body = c.req.valid("json");
        return c.json(await tenancy.withTenant(tenantId, (tx) => createCategory(tx, tenantId, body)), 201);
      },
    )
    .openapi(
      createRoute({
        method: "post",
        path: "/api/v1/admin/brands",
        tags: ["Merchant"],
        summary: "Create a brand",
        request: { body: { required: true, content: json(CreateBrandBody) } },
        responses: { 201: { description: "Created", content: json(Brand) }, 409: { description: "Slug taken", content: problem }, 422: { description: "Invalid", content: problem } },
      }),
      async (c) => {
        const tenantId = c.get("tenant").tenantId;
        const body = c.req.valid("json");
        return c.json(await tenancy.withTenant(tenantId, (tx) => createBrand(tx, tenantId, body)), 201);
      },
    );
}
