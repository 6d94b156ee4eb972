import { createRoute, z } from "@hono/zod-openapi";
import {
  CreateProductBody,
  PageQuery,
  Problem,
  Product,
  SearchQuery,
  SearchResult,
  Sku,
  UpdateProductBody,
  UpdateVariantBody,
  VariantBody,
  page,
} from "@bazaar/contracts";
import { AppError } from "@bazaar/service-kit/errors";
import { createRouter } from "@bazaar/service-kit/http";
import type { Tenancy } from "@bazaar/service-kit/tenancy";
import type { SearchEngine, SearchRequest } from "../search/engine.ts";
import { addVariant, createProduct, deleteProduct, deleteVariant, pageProducts, readProduct, updateProduct, updateVariant } from "./products.service.ts";

const problem = { "application/problem+json": { schema: Problem } };
const json = <T extends z.ZodType>(schema: T) => ({ "application/json": { schema } });
const ProductParam = z.object({ idOrSlug: z.string().min(1).max(120) });
const VariantParam = ProductParam.extend({ sku: Sku });
const ATTR = /^attr\.([a-z][a-z0-9_]{0,39})$/;

/**
 * `attr.<code>=v1,v2` filters from the raw query (zod sees only the fixed parameters). At most 10
 * attributes and 20 values each; an empty value is an error, not "match anything".
 */
export function attributeFilters(url: string): Record<string, string[]> | undefined {
  const params = new URL(url).searchParams;
  const out: Record<string, string[]> = {};
  for (const [key, raw] of params) {
    if (!key.startsWith("attr.")) continue;
    const m = ATTR.exec(key);
    if (!m) throw new AppError("validation_failed", "Attribute filters are attr.<code>=value.", [{ path: key, message: "not an attribute code" }]);
    const values = raw.split(",").map((v) => v.trim());
    if (values.some((v) => v === "" || v.length > 200) || values.length > 20) {
      throw new AppError("validation_failed", "Attribute filter values must be 1-200 characters, at most 20.", [{ path: key, message: "invalid values" }]);
    }
    out[m[1]!] = [...new Set([...(out[m[1]!] ?? []), ...values])];
  }
  if (Object.keys(out).length > 10) throw new AppError("validation_failed", "At most 10 attribute filters.", [{ path: "attr", message: "too many" }]);
  return Object.keys(out).length ? out : undefined;
}

export function toSearchRequest(q: SearchQuery, url: string, includeUnpublished: boolean): SearchRequest {
  const attributes = attributeFilters(url);
  const brands = q.brand
    ?.split(",")
    .map((b) => b.trim())
    .filter(Boolean);
  if (q.minPrice !== undefined && q.maxPrice !== undefined && q.minPrice > q.maxPrice) {
    throw new AppError("validation_failed", "minPrice is above maxPrice.", [{ path: "minPrice", message: "greater than maxPrice" }]);
  }
  return {
    ...(q.q ? { q: q.q } : {}),
    ...(q.category ? { category: q.category } : {}),
    ...(brands?.length ? { brands } : {}),
    ...(q.minPrice !== undefined ? { minPrice: q.minPrice } : {}),
    ...(q.maxPrice !== undefined ? { maxPrice: q.maxPrice } : {}),
    ...(attributes ? { attributes } : {}),
    ...(q.inStock !== undefined ? { inStock: q.inStock } : {}),
    ...(q.sort ? { sort: q.sort } : {}),
    ...(q.facets !== undefined ? { facets: q.facets } : {}),
    ...(q.cursor ? { cursor: q.cursor } : {}),
    limit: q.limit,
    includeUnpublished,
  };
}

export function productRoutes(deps: { tenancy: Tenancy; search: SearchEngine }) {
  const { tenancy, search } = deps;
  const tenantOf = (c: { get: (k: "tenant") => { tenantId: string } }) => c.get("tenant").tenantId;
  return createRouter()
    .openapi(
      createRoute({
        method: "get",
        path: "/api/v1/products",
        tags: ["Storefront"],
        summary: "Search and browse the store's products",
        description:
          "Full-text search (stemmed; the last word also matches as a prefix; mistyped words are read as the nearest catalog word and reported in `corrections`), filters (category with its descendants, brands, price range in minor units, `attr.<code>=v1,v2`, in stock), sorts, cursor pagination and exact facet counts over the current matches.",
        request: { query: SearchQuery },
        responses: {
          200: { description: "Matching products with facets", content: json(SearchResult) },
          400: { description: "Bad cursor", content: problem },
          422: { description: "Invalid filter", content: problem },
        },
      }),
      async (c) => c.json(await search.search(tenantOf(c), toSearchRequest(c.req.valid("query"), c.req.url, false)), 200),
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/api/v1/products/{idOrSlug}",
        tags: ["Storefront"],
        summary: "One product by id or slug, with its variants",
        request: { params: ProductParam },
        responses: { 200: { description: "The product", content: json(Product) }, 404: { description: "Not in this store", content: problem } },
      }),
      async (c) => {
        const { idOrSlug } = c.req.valid("param");
        return c.json(await readProduct(tenancy, tenantOf(c), idOrSlug, { includeUnpublished: false }), 200);
      },
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/api/v1/admin/products",
        tags: ["Merchant"],
        summary: "All products, drafts included, newest first",
        request: { query: PageQuery },
        responses: { 200: { description: "A page of products", content: json(page(Product)) } },
      }),
      async (c) => {
        const q = c.req.valid("query");
        const result = await tenancy.withTenant(tenantOf(c), (tx) => pageProducts(tx, { limit: q.limit, ...(q.cursor ? { cursor: q.cursor } : {}), includeUnpublished: true }));
        return c.json(result, 200);
      },
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/api/v1/admin/products/search",
        tags: ["Merchant"],
        summary: "Search every product (drafts and archived too) with the storefront's filters and facets",
        request: { query: SearchQuery },
        responses: { 200: { description: "Matching products with facets", content: json(SearchResult) }, 422: { description: "Invalid filter", content: problem } },
      }),
      async (c) => c.json(await search.search(tenantOf(c), toSearchRequest(c.req.valid("query"), c.req.url, true)), 200),
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/api/v1/admin/products/{idOrSlug}",
        tags: ["Merchant"],
        summary: "One product, whatever its status",
        request: { params: ProductParam },
        responses: { 200: { description: "The product", content: json(Product) }, 404: { description: "Not in this store", content: problem } },
      }),
      async (c) => {
        const { idOrSlug } = c.req.valid("param");
        return c.json(await readProduct(tenancy, tenantOf(c), idOrSlug, { includeUnpublished: true }), 200);
      },
    )
    .openapi(
      createRoute({
        method: "post",
        path: "/api/v1/admin/products",
        tags: ["Merchant"],
        summary: "Create a product (one price, or variants over option axes)",
        request: { body: { required: true, content: json(CreateProductBody) } },
        responses: {
          201: { description: "Created", content: json(Product) },
          409: { description: "Slug or SKU taken", content: problem },
          422: { description: "Invalid body or unknown brand, category or attribute", content: problem },
        },
      }),
      async (c) => {
        const tenantId = tenantOf(c);
        const body = c.req.valid("json");
        return c.json(await tenancy.withTenant(tenantId, (tx) => createProduct(tx, tenantId, body)), 201);
      },
    )
    .openapi(
      createRoute({
        method: "patch",
        path: "/api/v1/admin/products/{idOrSlug}",
        tags: ["Merchant"],
        summary: "Change a product (arrays replace what was there)",
        request: { params: ProductParam, body: { required: true, content: json(UpdateProductBody) } },
        responses: {
          200: { description: "Changed", content: json(Product) },
          404: { description: "Not in this store", content: problem },
          409: { description: "Slug taken", content: problem },
          422: { description: "Invalid", content: problem },
        },
      }),
      async (c) => {
        const tenantId = tenantOf(c);
        const { idOrSlug } = c.req.valid("param");
        const body = c.req.valid("json");
        return c.json(await tenancy.withTenant(tenantId, (tx) => updateProduct(tx, tenantId, idOrSlug, body)), 200);
      },
    )
    .openapi(
      createRoute({
        method: "delete",
        path: "/api/v1/admin/products/{idOrSlug}",
        tags: ["Merchant"],
        summary: "Delete a product and its variants",
        request: { params: ProductParam },
        responses: { 204: { description: "Deleted" }, 404: { description: "Not in this store", content: problem } },
      }),
      async (c) => {
        const tenantId = tenantOf(c);
        const { idOrSlug } = c.req.valid("param");
        await tenancy.withTenant(tenantId, (tx) => deleteProduct(tx, tenantId, idOrSlug));
        return c.body(null, 204);
      },
    )
    .openapi(
      createRoute({
        method: "post",
        path: "/api/v1/admin/products/{idOrSlug}/variants",
        tags: ["Merchant"],
        summary: "Add a variant",
        request: { params: ProductParam, body: { required: true, content: json(VariantBody) } },
        responses: {
          201: { description: "The product with the new variant", content: json(Product) },
          404: { description: "Not in this store", content: problem },
          409: { description: "SKU or option combination taken", content: problem },
          422: { description: "Invalid", content: problem },
        },
      }),
      async (c) => {
        const tenantId = tenantOf(c);
        const { idOrSlug } = c.req.valid("param");
        const body = c.req.valid("json");
        return c.json(await tenancy.withTenant(tenantId, (tx) => addVariant(tx, tenantId, idOrSlug, body)), 201);
      },
    )
    .openapi(
      createRoute({
        method: "patch",
        path: "/api/v1/admin/products/{idOrSlug}/variants/{sku}",
        tags: ["Merchant"],
        summary: "Change a variant's options, prices or stock",
        request: { params: VariantParam, body: { required: true, content: json(UpdateVariantBody) } },
        responses: {
          200: { description: "The product", content: json(Product) },
          404: { description: "No such product or variant", content: problem },
          409: { description: "Option combination taken", content: problem },
          422: { description: "Invalid", content: problem },
        },
      }),
      async (c) => {
        const tenantId = tenantOf(c);
        const { idOrSlug, sku } = c.req.valid("param");
        const body = c.req.valid("json");
        return c.json(await tenancy.withTenant(tenantId, (tx) => updateVariant(tx, tenantId, idOrSlug, sku, body)), 200);
      },
    )
    .openapi(
      createRoute({
        method: "delete",
        path: "/api/v1/admin/products/{idOrSlug}/variants/{sku}",
        tags: ["Merchant"],
        summary: "Remove a variant (a product keeps at least one)",
        request: { params: VariantParam },
        responses: {
          200: { description: "The product", content: json(Product) },
          404: { description: "No such product or variant", content: problem },
          409: { description: "Last variant", content: problem },
        },
      }),
      async (c) => {
        const tenantId = tenantOf(c);
        const { idOrSlug, sku } = c.req.valid("param");
        return c.json(await tenancy.withTenant(tenantId, (tx) => deleteVariant(tx, tenantId, idOrSlug, sku)), 200);
      },
    );
}
