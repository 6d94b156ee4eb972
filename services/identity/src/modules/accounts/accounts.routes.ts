import { createRoute, z } from "@hono/zod-openapi";
import { Account, Problem, Realm, UpsertAccountBody } from "@bazaar/contracts";
import { AppError } from "@bazaar/service-kit/errors";
import { createRouter } from "@bazaar/service-kit/http";
import { requireInternal } from "@bazaar/service-kit/tenancy";
import { issuerOf, type IdentityCtx } from "../../context.ts";
import { upsertAccount } from "./accounts.service.ts";

const problem = { "application/problem+json": { schema: Problem } };

/** `/internal/realms/{realm}/accounts`: seeding, tests and operator set-up create accounts here. */
export function accountRoutes(ctx: IdentityCtx, opts: { secret: string }) {
  const router = createRouter();
  router.use("/internal/realms/*", requireInternal({ secret: opts.secret }));
  return router.openapi(
    createRoute({
      method: "post",
      path: "/internal/realms/{realm}/accounts",
      hide: true,
      request: {
        params: z.object({ realm: Realm }),
        body: { required: true, content: { "application/json": { schema: UpsertAccountBody } } },
      },
      responses: {
        200: { description: "Updated (same email)", content: { "application/json": { schema: Account } } },
        201: { description: "Created", content: { "application/json": { schema: Account } } },
        404: { description: "Unknown realm", content: problem },
        422: { description: "Invalid body", content: problem },
      },
    }),
    async (c) => {
      const { realm } = c.req.valid("param");
      const placement = await ctx.tenancy.findBySlug(realm);
      if (!placement || placement.status !== "ready") throw new AppError("not_found", "Realm does not exist.");
      const ref = { realm, tenantId: placement.tenantId, issuer: issuerOf(ctx.settings, realm) };
      const { account, created } = await upsertAccount(ctx, ref, c.req.valid("json"));
      return c.json(account, created ? 201 : 200);
    },
  );
}
