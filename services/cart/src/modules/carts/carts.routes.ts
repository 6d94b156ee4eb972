import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { AddItemBody, Cart, CartCreated, CartId, CartMergeResult, CartOpsBody, CartOpsResult, Problem, SetItemBody, Sku } from "@bazaar/contracts";
import { createRouter, type AppEnv } from "@bazaar/service-kit/http";
import type { CartCaller, CartService } from "./carts.service.ts";
import { applyOps, mergeCarts } from "./carts.sync.ts";
import { CART_COOKIE, CART_TOKEN_HEADER } from "./carts.token.ts";

const problem = { "application/problem+json": { schema: Problem } };
const json = <T extends z.ZodType>(schema: T) => ({ "application/json": { schema } });
const IdParam = z.object({ id: CartId });
const LineParam = IdParam.extend({ sku: Sku });
const TokenHeader = z.object({
  [CART_TOKEN_HEADER]: z.string().max(200).optional().openapi({ description: "The guest cart token (or the `bazaar_cart` cookie)" }),
});
const notFound = { 404: { description: "No such cart, or not yours (the same answer either way)", content: problem } };
const invalid = { 422: { description: "Invalid input or a limit reached; the cart is unchanged", content: problem } };

function caller(c: Context<AppEnv>): CartCaller {
  return { tenant: c.get("tenant"), identity: c.get("identity"), token: c.req.header(CART_TOKEN_HEADER) ?? getCookie(c, CART_COOKIE) };
}

/** Carts are per shopper and change all the time: never stored by a browser or a shared cache. */
function noStore(c: Context<AppEnv>): void {
  c.header("cache-control", "no-store");
}

/** Storefront cart routes (`/api/v1/carts`). */
export function cartRoutes(svc: CartService, opts: { ttlMs: number; secureCookie?: boolean }) {
  const cookie = (c: Context<AppEnv>, token: string) =>
    setCookie(c, CART_COOKIE, token, { path: "/", httpOnly: true, sameSite: "Lax", secure: opts.secureCookie ?? false, maxAge: Math.floor(opts.ttlMs / 1000) });
  return createRouter()
    .openapi(
      createRoute({
        method: "post",
        path: "/api/v1/carts",
        tags: ["Storefront"],
        summary: "A new guest cart, or the signed-in shopper's cart",
        description:
          "Anonymous: a new guest cart and its signed token (also set as the `bazaar_cart` cookie); send the token as `X-Cart-Token` on every cart call. Signed in: the shopper's one active cart in this store (200 when it existed, 201 when created); no token needed.",
        responses: { 200: { description: "The shopper's existing cart", content: json(CartCreated) }, 201: { description: "Created", content: json(CartCreated) } },
      }),
      async (c) => {
        const { id, token, created } = await svc.create(caller(c));
        noStore(c);
        if (token) cookie(c, token);
        return c.json({ id, token }, created ? 201 : 200);
      },
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/api/v1/carts/{id}",
        tags: ["Storefront"],
        summary: "The cart priced now",
        description: "Lines with current prices and stock from the catalog, line and cart totals in minor units, warnings per line. Each read slides the 30-day expiry.",
        request: { params: IdParam, headers: TokenHeader },
        responses: { 200: { description: "The cart", content: json(Cart) }, ...notFound },
      }),
      async (c) => {
        const cart = await svc.get(caller(c), c.req.valid("param").id);
        noStore(c);
        // The cookie's lifetime slides with the cart's.
        const fromCookie = c.req.header(CART_TOKEN_HEADER) ? undefined : getCookie(c, CART_COOKIE);
        if (fromCookie && !cart.owned) cookie(c, fromCookie);
        return c.json(cart, 200);
      },
    )
    .openapi(
      createRoute({
        method: "post",
        path: "/api/v1/carts/{id}/items",
        tags: ["Storefront"],
        summary: "Add units of a SKU (added to the line when it exists)",
        request: { params: IdParam, headers: TokenHeader, body: { content: json(AddItemBody), required: true } },
        responses: { 200: { description: "The cart after the change", content: json(Cart) }, ...notFound, ...invalid },
      }),
      async (c) => {
        const body = c.req.valid("json");
        const cart = await svc.change(caller(c), c.req.valid("param").id, "add", body.sku, body.quantity);
        noStore(c);
        return c.json(cart, 200);
      },
    )
    .openapi(
      createRoute({
        method: "patch",
        path: "/api/v1/carts/{id}/items/{sku}",
        tags: ["Storefront"],
        summary: "Set a line's quantity",
        request: { params: LineParam, headers: TokenHeader, body: { content: json(SetItemBody), required: true } },
        responses: { 200: { description: "The cart after the change", content: json(Cart) }, ...notFound, ...invalid },
      }),
      async (c) => {
        const { id, sku } = c.req.valid("param");
        const cart = await svc.change(caller(c), id, "set", sku, c.req.valid("json").quantity);
        noStore(c);
        return c.json(cart, 200);
      },
    )
    .openapi(
      createRoute({
        method: "delete",
        path: "/api/v1/carts/{id}/items/{sku}",
        tags: ["Storefront"],
        summary: "Remove a line",
        request: { params: LineParam, headers: TokenHeader },
        responses: { 200: { description: "The cart after the change", content: json(Cart) }, ...notFound },
      }),
      async (c) => {
        const { id, sku } = c.req.valid("param");
        const cart = await svc.change(caller(c), id, "remove", sku, 0);
        noStore(c);
        return c.json(cart, 200);
      },
    )
    .openapi(
      createRoute({
        method: "post",
        path: "/api/v1/carts/{id}/ops",
        tags: ["Storefront"],
        summary: "Apply operations made offline",
        description:
          "Each op (`add`, `set`, `remove`) is applied once per opId, in client time order (`at`, then opId), capped by stock and the per-line limit instead of refused. Returns the cart and a result per op in the order applied: `applied`, `duplicate` (seen before: a replayed batch changes nothing), `capped`, `product_gone`, `rejected`; `priceChanged` when the op's `unitPrice` is not today's.",
        request: { params: IdParam, headers: TokenHeader, body: { content: json(CartOpsBody), required: true } },
        responses: { 200: { description: "The merged cart and a result per op", content: json(CartOpsResult) }, ...notFound, ...invalid },
      }),
      async (c) => {
        const result = await applyOps(svc, caller(c), c.req.valid("param").id, c.req.valid("json").ops);
        noStore(c);
        return c.json(result, 200);
      },
    )
    .openapi(
      createRoute({
        method: "post",
        path: "/api/v1/carts/{id}/merge",
        tags: ["Storefront"],
        summary: "Merge a guest cart into the signed-in shopper's cart",
        description:
          "`{id}` is the guest cart, proven by its token. Quantities of the same SKU are summed, capped by stock and the per-line limit; prices are today's. The guest cart is deleted. Returns the shopper's cart and what happened per guest line.",
        request: { params: IdParam, headers: TokenHeader },
        responses: {
          200: { description: "The shopper's cart and the changes", content: json(CartMergeResult) },
          401: { description: "Not signed in", content: problem },
          409: { description: "The guest cart is the shopper's own", content: problem },
          ...notFound,
        },
      }),
      async (c) => {
        const result = await mergeCarts(svc, caller(c), c.req.valid("param").id);
        noStore(c);
        if (getCookie(c, CART_COOKIE)) setCookie(c, CART_COOKIE, "", { path: "/", maxAge: 0 });
        return c.json(result, 200);
      },
    );
}
