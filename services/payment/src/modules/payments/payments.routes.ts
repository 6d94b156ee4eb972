import { createRoute, z } from "@hono/zod-openapi";
import { ConfirmBody, CreatePaymentBody, Payment, PaymentDetail, PaymentList, Problem, RefundBody } from "@bazaar/contracts";
import { createRouter } from "@bazaar/service-kit/http";
import { requireInternal, requireTenant } from "@bazaar/service-kit/tenancy";
import type { PaymentsService } from "./payments.service.ts";

const problem = { "application/problem+json": { schema: Problem } };
const json = <T extends z.ZodType>(schema: T) => ({ "application/json": { schema } });
const IdParam = z.object({ id: z.string().regex(/^pay_[0-9a-z]{26}$/, "not a payment id") });
const ListQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(20), cursor: z.string().regex(/^pay_[0-9a-z]{26}$/).optional() });
const changed = { 404: { description: "Not in this store", content: problem }, 409: { description: "Not in a state for this", content: problem }, 502: { description: "The provider failed", content: problem } };

/** The merchant's view of payments and every provider attempt. */
export function adminPaymentRoutes(deps: { payments: PaymentsService }) {
  return createRouter()
    .openapi(
      createRoute({ method: "get", path: "/api/v1/admin/payments", tags: ["Merchant"], summary: "Payments, newest first", request: { query: ListQuery }, responses: { 200: { description: "Page", content: json(PaymentList) }, 422: { description: "Invalid", content: problem } } }),
      async (c) => {
        const { limit, cursor } = c.req.valid("query");
        return c.json(await deps.payments.list(c.get("tenant").tenantId, limit, cursor), 200);
      },
    )
    .openapi(
      createRoute({ method: "get", path: "/api/v1/admin/payments/{id}", tags: ["Merchant"], summary: "A payment with every provider attempt and failure", request: { params: IdParam }, responses: { 200: { description: "Payment", content: json(PaymentDetail) }, 404: { description: "Not in this store", content: problem } } }),
      async (c) => c.json(await deps.payments.get(c.get("tenant").tenantId, c.req.valid("param").id), 200),
    );
}

/** `/internal/payments/*`: for the order service (internal secret and a signed store context). */
export function internalPaymentRoutes(deps: { payments: PaymentsService; secret: string }) {
  const router = createRouter();
  router.use("/internal/payments", requireInternal({ secret: deps.secret }), requireTenant({ secret: deps.secret }));
  router.use("/internal/payments/*", requireInternal({ secret: deps.secret }), requireTenant({ secret: deps.secret }));
  return router
    .openapi(
      createRoute({
        method: "post",
        path: "/internal/payments",
        hide: true,
        request: { body: { required: true, content: json(CreatePaymentBody) } },
        responses: { 200: { description: "The payment: succeeded, requires_action (nextAction), failed (failureCode) or pending", content: json(Payment) }, 409: { description: "Key reused or gateway disabled", content: problem } },
      }),
      async (c) => c.json(await deps.payments.create(c.get("tenant").tenantId, c.req.valid("json")), 200),
    )
    .openapi(
      createRoute({ method: "post", path: "/internal/payments/{id}/confirm", hide: true, request: { params: IdParam, body: { required: true, content: json(ConfirmBody) } }, responses: { 200: { description: "Payment", content: json(Payment) }, ...changed } }),
      async (c) => c.json(await deps.payments.confirm(c.get("tenant").tenantId, c.req.valid("param").id, c.req.valid("json").token), 200),
    )
    .openapi(
      createRoute({ method: "post", path: "/internal/payments/{id}/refund", hide: true, request: { params: IdParam, body: { required: true, content: json(RefundBody) } }, responses: { 200: { description: "Payment", content: json(Payment) }, ...changed } }),
      async (c) => c.json(await deps.payments.refund(c.get("tenant").tenantId, c.req.valid("param").id, c.req.valid("json")), 200),
    )
    .openapi(
      createRoute({ method: "post", path: "/internal/payments/{id}/void", hide: true, request: { params: IdParam }, responses: { 200: { description: "Payment", content: json(Payment) }, ...changed } }),
      async (c) => c.json(await deps.payments.void(c.get("tenant").tenantId, c.req.valid("param").id), 200),
    );
}
