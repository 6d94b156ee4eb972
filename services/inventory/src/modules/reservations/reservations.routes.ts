import { createRoute, z } from "@hono/zod-openapi";
import { Problem, Reservation, ReservationOrderId, ReserveBody } from "@bazaar/contracts";
import { AppError } from "@bazaar/service-kit/errors";
import { createRouter } from "@bazaar/service-kit/http";
import { requireInternal, requireTenant } from "@bazaar/service-kit/tenancy";
import type { ReservationStore } from "./reservations.store.ts";

export const RESERVATIONS_PATH = "/internal/inventory/reservations";

const problem = { "application/problem+json": { schema: Problem } };
const json = <T extends z.ZodType>(schema: T) => ({ "application/json": { schema } });
const OrderParam = z.object({ orderId: ReservationOrderId });
const answer = { 200: { description: "The reservation", content: json(Reservation) }, 404: { description: "No such reservation", content: problem }, 409: { description: "Not in a state allowing this", content: problem } };

/**
 * `/internal/inventory/*`: reservations for the order service (never routed by the gateway). Each
 * call needs the platform's internal secret and a signed store context.
 */
export function reservationRoutes(deps: { store: ReservationStore; secret: string }) {
  const { store } = deps;
  const router = createRouter();
  router.use("/internal/inventory/*", requireInternal({ secret: deps.secret }), requireTenant({ secret: deps.secret }));
  return router
    .openapi(
      createRoute({
        method: "post",
        path: RESERVATIONS_PATH,
        hide: true,
        request: { body: { required: true, content: json(ReserveBody) } },
        responses: {
          201: { description: "Every line reserved", content: json(Reservation) },
          200: { description: "This order's existing reservation (idempotent repeat)", content: json(Reservation) },
          409: { description: "out_of_stock: the short lines are named in `errors`; nothing was reserved", content: problem },
          422: { description: "Invalid", content: problem },
        },
      }),
      async (c) => {
        const { reservation, created } = await store.reserve(c.get("tenant").tenantId, c.req.valid("json"));
        return c.json(reservation, created ? 201 : 200);
      },
    )
    .openapi(
      createRoute({ method: "get", path: `${RESERVATIONS_PATH}/{orderId}`, hide: true, request: { params: OrderParam }, responses: answer }),
      async (c) => {
        const r = await store.get(c.get("tenant").tenantId, c.req.valid("param").orderId);
        if (!r) throw new AppError("not_found", "No reservation for this order.");
        return c.json(r, 200);
      },
    )
    .openapi(
      createRoute({ method: "post", path: `${RESERVATIONS_PATH}/{orderId}/commit`, hide: true, request: { params: OrderParam }, responses: answer }),
      async (c) => c.json(await store.commit(c.get("tenant").tenantId, c.req.valid("param").orderId), 200),
    )
    .openapi(
      createRoute({ method: "post", path: `${RESERVATIONS_PATH}/{orderId}/release`, hide: true, request: { params: OrderParam }, responses: answer }),
      async (c) => c.json(await store.release(c.get("tenant").tenantId, c.req.valid("param").orderId), 200),
    );
}
