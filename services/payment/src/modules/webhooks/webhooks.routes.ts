import { createRoute, z } from "@hono/zod-openapi";
import { PaymentProvider, Problem, TenantSlug } from "@bazaar/contracts";
import { createRouter } from "@bazaar/service-kit/http";
import type { Tenancy } from "@bazaar/service-kit/tenancy";
import type { PaymentsService } from "../payments/payments.service.ts";
import type { GatewaySettingsService } from "../settings/settings.service.ts";
import { receiveWebhook } from "./webhooks.service.ts";

/** Outside `/api/*`: providers carry no gateway-signed context, only their own signature. */
export const WEBHOOKS_PREFIX = "/webhooks";

/** Provider webhooks, one URL per provider and store; the raw body is what the signature covers. */
export function webhookRoutes(deps: { tenancy: Tenancy; settings: GatewaySettingsService; payments: PaymentsService }) {
  return createRouter().openapi(
    createRoute({
      method: "post",
      path: `${WEBHOOKS_PREFIX}/{provider}/{storeSlug}`,
      tags: ["Webhooks"],
      summary: "A payment provider's event for a store (signature verified, deduplicated by event id)",
      request: { params: z.object({ provider: PaymentProvider, storeSlug: TenantSlug }) },
      responses: {
        200: { description: "Received (or already received)", content: { "application/json": { schema: z.object({ received: z.boolean(), duplicate: z.boolean() }) } } },
        400: { description: "Bad signature or body", content: { "application/problem+json": { schema: Problem } } },
        404: { description: "No such store", content: { "application/problem+json": { schema: Problem } } },
      },
    }),
    async (c) => {
      const { provider, storeSlug } = c.req.valid("param");
      const rawBody = await c.req.text();
      const headers: Record<string, string> = {};
      c.req.raw.headers.forEach((v, k) => (headers[k] = v));
      const out = await receiveWebhook(deps, { provider, storeSlug, rawBody, headers });
      return c.json({ received: true, duplicate: out.duplicate }, 200);
    },
  );
}
