import { createRoute, type z } from "@hono/zod-openapi";
import { CancelOrderBody, OrderDetail, OrderListQuery, OrderPage, OrderSettings, Problem, RefundOrderBody, ShipBody } from "@bazaar/contracts";
import { createRouter } from "@bazaar/service-kit/http";
import type { Tenancy } from "@bazaar/service-kit/tenancy";
import { OrderIdParam } from "./orders.routes.ts";
import * as repo from "./orders.repo.ts";
import type { OrdersService } from "./orders.service.ts";

const problem = { "application/problem+json": { schema: Problem } };
const json = <T extends z.ZodType>(schema: T) => ({ "application/json": { schema } });
const acted = { 200: { description: "The order after the action", content: json(OrderDetail) }, 404: { description: "Not in this store", content: problem }, 409: { description: "Not allowed in the order's status", content: problem }, 422: { description: "Invalid", content: problem } };

/** The merchant's side: list and read orders, ship, deliver, cancel, refund; checkout settings. */
export function adminOrderRoutes(deps: { orders: OrdersService; tenancy: Tenancy }) {
  const { orders, tenancy } = deps;
  const actor = (c: { get(k: "identity"): { sub: string } | undefined }) => c.get("identity")?.sub ?? "staff";
  return createRouter()
    .openapi(
      createRoute({ method: "get", path: "/api/v1/admin/orders/settings", tags: ["Merchant"], summary: "Flat shipping rate and tax rate (basis points)", responses: { 200: { description: "Settings", content: json(OrderSettings) } } }),
      async (c) => c.json(await tenancy.withTenant(c.get("tenant").tenantId, (tx) => repo.settings(tx)), 200),
    )
    .openapi(
      createRoute({ method: "put", path: "/api/v1/admin/orders/settings", tags: ["Merchant"], summary: "Set the flat shipping rate and tax rate", request: { body: { required: true, content: json(OrderSettings) } }, responses: { 200: { description: "Settings", content: json(OrderSettings) }, 422: { description: "Invalid", content: problem } } }),
      async (c) => {
        const body = c.req.valid("json");
        await tenancy.withTenant(c.get("tenant").tenantId, (tx) => repo.putSettings(tx, body));
        return c.json(body, 200);
      },
    )
    .openapi(
      createRoute({ method: "get", path: "/api/v1/admin/orders", tags: ["Merchant"], summary: "Orders, newest first (status, date range)", request: { query: OrderListQuery }, responses: { 200: { description: "Page", content: json(OrderPage) }, 422: { description: "Invalid", content: problem } } }),
      async (c) => c.json(await tenancy.withTenant(c.get("tenant").tenantId, (tx) => repo.list(tx, c.req.valid("query"))), 200),
    )
    .openapi(
      createRoute({ method: "get", path: "/api/v1/admin/orders/{id}", tags: ["Merchant"], summary: "An order with its history", request: { params: OrderIdParam }, responses: { 200: { description: "Order", content: json(OrderDetail) }, 404: { description: "Not in this store", content: problem } } }),
      async (c) => c.json(await orders.get(c.get("tenant").tenantId, c.req.valid("param").id), 200),
    )
    .openapi(
      createRoute({ method: "post", path: "/api/v1/admin/orders/{id}/ship", tags: ["Merchant"], summary: "Paid -> shipped", request: { params: OrderIdParam, body: { required: true, content: json(ShipBody) } }, responses: acted }),
      async (c) => c.json(await orders.ship(c.get("tenant").tenantId, c.req.valid("param").id, c.req.valid("json"), actor(c)), 200),
    )
    .openapi(
      createRoute({ method: "post", path: "/api/v1/admin/orders/{id}/deliver", tags: ["Merchant"], summary: "Shipped -> delivered", request: { params: OrderIdParam }, responses: acted }),
      async (c) => c.json(await orders.deliver(c.get("tenant").tenantId, c.req.valid("param").id, actor(c)), 200),
    )
    .openapi(
      createRoute({ method: "post", path: "/api/v1/admin/orders/{id}/cancel", tags: ["Merchant"], summary: "Cancel: releases held stock, refunds what was paid", request: { params: OrderIdParam, body: { required: false, content: json(CancelOrderBody) } }, responses: acted }),
      async (c) => {
        const body = (await c.req.json().catch(() => ({}))) as unknown;
        const parsed = CancelOrderBody.parse(body ?? {});
        return c.json(await orders.cancel(c.get("tenant"), c.req.valid("param").id, parsed.reason, actor(c)), 200);
      },
    )
    .openapi(
      createRoute({ method: "post", path: "/api/v1/admin/orders/{id}/refund", tags: ["Merchant"], summary: "Refund all that is left, or `amount` (minor units)", request: { params: OrderIdParam, body: { required: false, content: json(RefundOrderBody) } }, responses: acted }),
      async (c) => {
        const parsed = RefundOrderBody.parse(((await c.req.json().catch(() => ({}))) as unknown) ?? {});
        return c.json(await orders.refund(c.get("tenant"), c.req.valid("param").id, parsed.amount, actor(c)), 200);
      },
    );
}
