import { createRoute, z } from "@hono/zod-openapi";
import { CreateProductBody, PageQuery, Problem, Product, page } from "@bazaar/contracts";
import { createRouter } from "@bazaar/service-kit/http";
import type { Tenancy } from "@bazaar/service-kit/tenancy";
import { createProduct, getProduct, pageProducts } from "./products.service.ts";

const problem = { "application/problem+json": { schema: Problem } };
const ProductParam = z.object({ idOrSlug: z.string().min(1).max(120) });

export function productRoutes(deps: { tenancy: Tenancy }) {
  const { tenancy } = deps;
  return createRouter()
    .openapi(
      createRoute({
        method: "get",
        path: "/api/v1/products",
        tags: ["Storefront"],
        summary: "Browse the store's products",
        request: { query: PageQuery },
        responses: {
          200: { description: "A page of products", content: { "application/json": { schema: page(Product) } } },
          404: { description: "Unknown store", content: problem },
        },
      }),
      async (c) => {
        const q = c.req.valid("query");
        const result = await tenancy.withTenant(c.get("tenant").tenantId, (tx) =>
          pageProducts(tx, { limit: q.limit, ...(q.cursor ? { cursor: q.cursor } : {}), includeUnpublished: false }),
        );
        return c.json(result, 200);
      },
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/api/v1/products/{idOrSlug}",
        tags: ["Storefront"],
        summary: "One product by id or slug",
        request: { params: ProductParam },
        responses: {
          200: { description: "The product", content: { "application/json": { schema: Product } } },
          404: { description: "Not in this store", content: problem },
        },
      }),
      async (c) => {
        const { idOrSlug } = c.req.valid("param");
        const product = await tenancy.withTenant(c.get("tenant").tenantId, (tx) => getProduct(tx, idOrSlug, { includeUnpublished: false }));
        return c.json(product, 200);
      },
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/api/v1/admin/products",
        tags: ["Merchant"],
        summary: "All products, drafts included",
        request: { query: PageQuery },
        responses: { 200: { description: "A page of products", content: { "application/json": { schema: page(Product) } } } },
      }),
      async (c) => {
        const q = c.req.valid("query");
        const result = await tenancy.withTenant(c.get("tenant").tenantId, (tx) =>
          pageProducts(tx, { limit: q.limit, ...(q.cursor ? { cursor: q.cursor } : {}), includeUnpublished: true }),
        );
        return c.json(result, 200);
      },
    )
    .openapi(
      createRoute({
        method: "post",
        path: "/api/v1/admin/products",
        tags: ["Merchant"],
        summary: "Create a product",
        request: {
          body: { required: true, content: { "application/json": { schema: CreateProductBody } } },
        },
        responses: {
          201: { description: "Created", content: { "application/json": { schema: Product } } },
          409: { description: "Slug taken", content: problem },
          422: { description: "Invalid body", content: problem },
        },
      }),
      async (c) => {
        const tenantId = c.get("tenant").tenantId;
        const body = c.req.valid("json");
        const product = await tenancy.withTenant(tenantId, (tx) => createProduct(tx, tenantId, body));
        return c.json(product, 201);
      },
    );
}
