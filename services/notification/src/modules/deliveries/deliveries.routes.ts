import { createRoute, z } from "@hono/zod-openapi";
import { Delivery, DeliveryDetail, DeliveryListQuery, DeliveryPage, MailboxPage, MailboxQuery, Problem } from "@bazaar/contracts";
import { AppError } from "@bazaar/service-kit/errors";
import { createRouter } from "@bazaar/service-kit/http";
import type { Tenancy } from "@bazaar/service-kit/tenancy";
import { listMailbox } from "../mailbox/mailbox.repo.ts";
import * as repo from "./deliveries.repo.ts";

const problem = { "application/problem+json": { schema: Problem } };
const json = <T extends z.ZodType>(schema: T) => ({ "application/json": { schema } });
const IdParam = z.object({ id: z.string().regex(/^dlv_[0-9a-z]{26}$/, "not a delivery id") });
const PATH = "/api/v1/admin/notifications/deliveries";

/** The delivery log (every message, its status and tries), the resend action, and the dev mailbox. */
export function deliveryRoutes(deps: { tenancy: Tenancy; clock: () => Date; kick: () => void }) {
  const { tenancy } = deps;
  return createRouter()
    .openapi(
      createRoute({ method: "get", path: PATH, tags: ["Merchant"], summary: "Messages, newest first", request: { query: DeliveryListQuery }, responses: { 200: { description: "Page", content: json(DeliveryPage) }, 422: { description: "Invalid", content: problem } } }),
      async (c) => {
        const q = c.req.valid("query");
        return c.json(await tenancy.withTenant(c.get("tenant").tenantId, (tx) => repo.list(tx, q)), 200);
      },
    )
    .openapi(
      createRoute({ method: "get", path: `${PATH}/{id}`, tags: ["Merchant"], summary: "One message with its tries", request: { params: IdParam }, responses: { 200: { description: "Message", content: json(DeliveryDetail) }, 404: { description: "Not found", content: problem } } }),
      async (c) => {
        const { id } = c.req.valid("param");
        const out = await tenancy.withTenant(c.get("tenant").tenantId, async (tx) => {
          const row = await repo.byId(tx, id);
          if (!row) throw new AppError("not_found", "No such message in this store.");
          return { ...repo.view(row), attemptLog: await repo.attemptsOf(tx, id) };
        });
        return c.json(out, 200);
      },
    )
    .openapi(
      createRoute({
        method: "post",
        path: `${PATH}/{id}/resend`,
        tags: ["Merchant"],
        summary: "Send the message again now, with a fresh budget of tries (any status)",
        request: { params: IdParam },
        responses: { 200: { description: "Queued", content: json(Delivery) }, 404: { description: "Not found", content: problem }, 409: { description: "Being sent right now", content: problem } },
      }),
      async (c) => {
        const { id } = c.req.valid("param");
        const row = await tenancy.withTenant(c.get("tenant").tenantId, (tx) => repo.requeue(tx, id, deps.clock()));
        if (!row) throw new AppError("not_found", "No such message in this store.");
        if (row === "in_flight") throw new AppError("conflict", "The message is being sent right now; try again in a moment.");
        deps.kick();
        return c.json(repo.view(row), 200);
      },
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/api/v1/admin/mailbox",
        tags: ["Merchant"],
        summary: "The dev mailbox: what every channel delivered while no real provider is configured",
        request: { query: MailboxQuery },
        responses: { 200: { description: "Page", content: json(MailboxPage) }, 422: { description: "Invalid", content: problem } },
      }),
      async (c) => {
        const q = c.req.valid("query");
        return c.json(await tenancy.withTenant(c.get("tenant").tenantId, (tx) => listMailbox(tx, q)), 200);
      },
    );
}
