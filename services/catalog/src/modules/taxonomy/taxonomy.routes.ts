import { createRoute, z } from "@hono/zod-openapi";
import { Attribute, AttributeCode, Brand, CategoryNode, CreateAttributeBody, CreateBrandBody, CreateCategoryBody, Problem, UpdateAttributeBody, UpdateBrandBody, UpdateCategoryBody } from "@bazaar/contracts";
import { createRouter } from "@bazaar/service-kit/http";
import type { Tenancy } from "@bazaar/service-kit/tenancy";
import {
  categoryTree,
  createAttribute,
  createBrand,
  createCategory,
  deleteAttribute,
  deleteBrand,
  deleteCategory,
  listAttributes,
  listBrands,
  updateAttribute,
  updateBrand,
  updateCategory,
} from "./taxonomy.service.ts";

const problem = { "application/problem+json": { schema: Problem } };
const json = <T extends z.ZodType>(schema: T) => ({ "application/json": { schema } });
const IdOrSlug = z.object({ idOrSlug: z.string().min(1).max(120) });
const CodeParam = z.object({ code: AttributeCode });
const changed = { 404: { description: "Not in this store", content: problem }, 409: { description: "Conflict", content: problem }, 422: { description: "Invalid", content: problem } };

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
    )
    .openapi(
      createRoute({
        method: "patch",
        path: "/api/v1/admin/categories/{idOrSlug}",
        tags: ["Merchant"],
        summary: "Rename, re-slug, reorder or move a category (never under itself)",
        request: { params: IdOrSlug, body: { required: true, content: json(UpdateCategoryBody) } },
        responses: { 200: { description: "Changed", content: json(CategoryNode) }, ...changed },
      }),
      async (c) => {
        const tenantId = c.get("tenant").tenantId;
        const { idOrSlug } = c.req.valid("param");
        const body = c.req.valid("json");
        return c.json(await tenancy.withTenant(tenantId, (tx) => updateCategory(tx, tenantId, idOrSlug, body)), 200);
      },
    )
    .openapi(
      createRoute({
        method: "delete",
        path: "/api/v1/admin/categories/{idOrSlug}",
        tags: ["Merchant"],
        summary: "Delete a category without subcategories (its products stay)",
        request: { params: IdOrSlug },
        responses: { 204: { description: "Deleted" }, ...changed },
      }),
      async (c) => {
        const tenantId = c.get("tenant").tenantId;
        const { idOrSlug } = c.req.valid("param");
        await tenancy.withTenant(tenantId, (tx) => deleteCategory(tx, tenantId, idOrSlug));
        return c.body(null, 204);
      },
    )
    .openapi(
      createRoute({
        method: "patch",
        path: "/api/v1/admin/brands/{idOrSlug}",
        tags: ["Merchant"],
        summary: "Rename or re-slug a brand",
        request: { params: IdOrSlug, body: { required: true, content: json(UpdateBrandBody) } },
        responses: { 200: { description: "Changed", content: json(Brand) }, ...changed },
      }),
      async (c) => {
        const tenantId = c.get("tenant").tenantId;
        const { idOrSlug } = c.req.valid("param");
        const body = c.req.valid("json");
        return c.json(await tenancy.withTenant(tenantId, (tx) => updateBrand(tx, tenantId, idOrSlug, body)), 200);
      },
    )
    .openapi(
      createRoute({
        method: "delete",
        path: "/api/v1/admin/brands/{idOrSlug}",
        tags: ["Merchant"],
        summary: "Delete a brand (its products stay, without a brand)",
        request: { params: IdOrSlug },
        responses: { 204: { description: "Deleted" }, ...changed },
      }),
      async (c) => {
        const tenantId = c.get("tenant").tenantId;
        const { idOrSlug } = c.req.valid("param");
        await tenancy.withTenant(tenantId, (tx) => deleteBrand(tx, tenantId, idOrSlug));
        return c.body(null, 204);
      },
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/api/v1/admin/attributes",
        tags: ["Merchant"],
        summary: "The store's typed attributes",
        responses: { 200: { description: "Attributes", content: json(z.object({ items: z.array(Attribute) })) } },
      }),
      async (c) => c.json({ items: await tenancy.withTenant(c.get("tenant").tenantId, listAttributes) }, 200),
    )
    .openapi(
      createRoute({
        method: "post",
        path: "/api/v1/admin/attributes",
        tags: ["Merchant"],
        summary: "Define an attribute (text, number, boolean or select)",
        request: { body: { required: true, content: json(CreateAttributeBody) } },
        responses: { 201: { description: "Created", content: json(Attribute) }, 409: { description: "Code taken", content: problem }, 422: { description: "Invalid", content: problem } },
      }),
      async (c) => {
        const tenantId = c.get("tenant").tenantId;
        const body = c.req.valid("json");
        return c.json(await tenancy.withTenant(tenantId, (tx) => createAttribute(tx, tenantId, body)), 201);
      },
    )
    .openapi(
      createRoute({
        method: "patch",
        path: "/api/v1/admin/attributes/{code}",
        tags: ["Merchant"],
        summary: "Rename an attribute, toggle filtering, or change a select's values (values in use stay)",
        request: { params: CodeParam, body: { required: true, content: json(UpdateAttributeBody) } },
        responses: { 200: { description: "Changed", content: json(Attribute) }, ...changed },
      }),
      async (c) => {
        const tenantId = c.get("tenant").tenantId;
        const { code } = c.req.valid("param");
        const body = c.req.valid("json");
        return c.json(await tenancy.withTenant(tenantId, (tx) => updateAttribute(tx, tenantId, code, body)), 200);
      },
    )
    .openapi(
      createRoute({
        method: "delete",
        path: "/api/v1/admin/attributes/{code}",
        tags: ["Merchant"],
        summary: "Delete an attribute no product uses",
        request: { params: CodeParam },
        responses: { 204: { description: "Deleted" }, ...changed },
      }),
      async (c) => {
        const tenantId = c.get("tenant").tenantId;
        const { code } = c.req.valid("param");
        await tenancy.withTenant(tenantId, (tx) => deleteAttribute(tx, tenantId, code));
        return c.body(null, 204);
      },
    );
}
