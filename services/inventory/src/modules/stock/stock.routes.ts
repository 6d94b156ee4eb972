import { createRoute, z } from "@hono/zod-openapi";
import { AdjustStockBody, Problem, SetStockBody, Sku, SkuStock, StockChange, StockLevelPage, StockListQuery, StockThresholdBody } from "@bazaar/contracts";
import { createRouter } from "@bazaar/service-kit/http";
import type { Tenancy } from "@bazaar/service-kit/tenancy";
import { adjustStock, listStock, setStock, setStockThreshold, skuStock } from "./stock.service.ts";

const problem = { "application/problem+json": { schema: Problem } };
const json = <T extends z.ZodType>(schema: T) => ({ "application/json": { schema } });
const SkuParam = z.object({ sku: Sku });
const refused = { 409: { description: "Would take stock below zero or below what is reserved", content: problem }, 422: { description: "Invalid", content: problem } };

/** Merchant stock: levels per SKU and location, adjustments with who and why, low-stock thresholds. */
export function stockRoutes(deps: { tenancy: Tenancy }) {
  const { tenancy } = deps;
  return createRouter()
    .openapi(
      createRoute({
        method: "get",
        path: "/api/v1/admin/inventory",
        tags: ["Merchant"],
        summary: "Stock levels (optionally only SKUs at or below their low-stock threshold)",
        request: { query: StockListQuery },
        responses: { 200: { description: "Levels in SKU order", content: json(StockLevelPage) }, 422: { description: "Invalid", content: problem } },
      }),
      async (c) => c.json(await tenancy.withTenant(c.get("tenant").tenantId, (tx) => listStock(tx, c.req.valid("query"))), 200),
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/api/v1/admin/inventory/{sku}",
        tags: ["Merchant"],
        summary: "A SKU's levels per location and its recent adjustments",
        request: { params: SkuParam },
        responses: { 200: { description: "Levels", content: json(SkuStock) }, 404: { description: "No stock recorded", content: problem } },
      }),
      async (c) => c.json(await tenancy.withTenant(c.get("tenant").tenantId, (tx) => skuStock(tx, c.req.valid("param").sku)), 200),
    )
    .openapi(
      createRoute({
        method: "put",
        path: "/api/v1/admin/inventory/{sku}",
        tags: ["Merchant"],
        summary: "Set the on-hand figure of a location (logged as an adjustment)",
        request: { params: SkuParam, body: { required: true, content: json(SetStockBody) } },
        responses: { 200: { description: "The level and the adjustment", content: json(StockChange) }, ...refused },
      }),
      async (c) => {
        const tenantId = c.get("tenant").tenantId;
        const actor = c.get("identity")?.sub ?? "unknown";
        return c.json(await tenancy.withTenant(tenantId, (tx) => setStock(tx, tenantId, c.req.valid("param").sku, c.req.valid("json"), actor)), 200);
      },
    )
    .openapi(
      createRoute({
        method: "post",
        path: "/api/v1/admin/inventory/{sku}/adjustments",
        tags: ["Merchant"],
        summary: "Add or remove units, saying why",
        request: { params: SkuParam, body: { required: true, content: json(AdjustStockBody) } },
        responses: { 201: { description: "The level and the adjustment", content: json(StockChange) }, ...refused },
      }),
      async (c) => {
        const tenantId = c.get("tenant").tenantId;
        const actor = c.get("identity")?.sub ?? "unknown";
        return c.json(await tenancy.withTenant(tenantId, (tx) => adjustStock(tx, tenantId, c.req.valid("param").sku, c.req.valid("json"), actor)), 201);
      },
    )
    .openapi(
      createRoute({
        method: "put",
        path: "/api/v1/admin/inventory/{sku}/threshold",
        tags: ["Merchant"],
        summary: "Set (or clear with null) the SKU's low-stock threshold",
        request: { params: SkuParam, body: { required: true, content: json(StockThresholdBody) } },
        responses: { 200: { description: "The SKU's levels with the threshold", content: json(SkuStock) }, 422: { description: "Invalid", content: problem } },
      }),
      async (c) => c.json(await tenancy.withTenant(c.get("tenant").tenantId, (tx) => setStockThreshold(tx, c.req.valid("param").sku, c.req.valid("json").threshold)), 200),
    );
}
