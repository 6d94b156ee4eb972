import { createRoute, z } from "@hono/zod-openapi";
import { getCookie } from "hono/cookie";
import { CheckoutBody, CheckoutResult, OrderDetail, OrderListQuery, OrderPage, Problem } from "@bazaar/contracts";
import { AppError } from "@bazaar/service-kit/errors";
import { createRouter } from "@bazaar/service-kit/http";
import type { Tenancy } from "@bazaar/service-kit/tenancy";
import type { CheckoutService } from "../checkout/checkout.service.ts";
import * as repo from "./orders.repo.ts";
import type { OrdersService } from "./orders.service.ts";
import type { OrderTokens } from "./orders.token.ts";

const problem = { "application/problem+json": { schema: Problem } };
const json = <T extends z.ZodType>(schema: T) => ({ "application/json": { schema } });
export const OrderIdParam = z.object({ id: z.string().regex(/^ord_[0-9a-z]{26}$/, "not an order id") });
const CheckoutHeaders = z.object({
  "idempotency-key": z.string().min(8).max(200).regex(/^[\x21-\x7e]+$/, "printable ASCII without spaces").optional().openapi({ description: "The same key again answers the same order, never a second charge" }),
  "x-cart-token": z.string().max(200).optional().openapi({ description: "The guest cart's token" }),
});
const ReadHeaders = z.object({ "x-order-token": z.string().max(200).optional().openapi({ description: "The order access token from checkout (guests)" }) });

/** The shopper's side: checkout, their order history and an order's page. */
export function shopperRoutes(deps: { checkout: CheckoutService; orders: OrdersService; tokens: OrderTokens; tenancy: Tenancy }) {
  return createRouter()
    .openapi(
      createRoute({
        method: "post",
        path: "/api/v1/checkout",
        tags: ["Storefront"],
        summary: "Place an order from a cart: reserve stock, take payment",
        request: { headers: CheckoutHeaders, body: { required: true, content: json(CheckoutBody) } },
        responses: {
          201: { description: "Order placed: `paid`, `payment_failed` (payment.failureCode) or `payment_pending` (payment.nextAction)", content: json(CheckoutResult) },
          200: { description: "The order of this Idempotency-Key (a repeat)", content: json(CheckoutResult) },
          404: { description: "No such cart (or no token for it)", content: problem },
          409: { description: "out_of_stock, lines that cannot be bought, or the key reused for another checkout", content: problem },
          422: { description: "Invalid, or the cart is empty", content: problem },
        },
      }),
      async (c) => {
        const headers = c.req.valid("header");
        const caller = { tenant: c.get("tenant"), identity: c.get("identity"), cartToken: headers["x-cart-token"] ?? getCookie(c, "bazaar_cart") };
        const { result, created } = await deps.checkout.checkout(caller, c.req.valid("json"), headers["idempotency-key"]);
        return c.json(result, created ? 201 : 200);
      },
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/api/v1/orders",
        tags: ["Storefront"],
        summary: "The signed-in shopper's orders, newest first",
        request: { query: OrderListQuery.pick({ limit: true, cursor: true }) },
        responses: { 200: { description: "Page", content: json(OrderPage) }, 401: { description: "Not signed in", content: problem } },
      }),
      async (c) => {
        const q = c.req.valid("query");
        const sub = c.get("identity")!.sub;
        return c.json(await deps.tenancy.withTenant(c.get("tenant").tenantId, (tx) => repo.list(tx, { ...q, customerId: sub })), 200);
      },
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/api/v1/orders/{id}",
        tags: ["Storefront"],
        summary: "An order's page: its shopper, or a guest with the order access token",
        request: { params: OrderIdParam, headers: ReadHeaders },
        responses: { 200: { description: "Order", content: json(OrderDetail) }, 404: { description: "No such order for this caller", content: problem } },
      }),
      async (c) => {
        const { tenantId } = c.get("tenant");
        const { id } = c.req.valid("param");
        const order = await deps.orders.get(tenantId, id);
        const row = await deps.orders.row(tenantId, id);
        const identity = c.get("identity");
        const mine = identity !== undefined && row.customerId === identity.sub;
        if (!mine && !deps.tokens.verify(tenantId, id, c.req.valid("header")["x-order-token"])) throw new AppError("not_found", "No such order in this store.");
        return c.json(order, 200);
      },
    );
}
