import type { z } from "@hono/zod-openapi";
import { createRoute } from "@hono/zod-openapi";
import { Problem, PushPublicKey, PushSubscriptionBody, PushSubscriptionCreated, PushUnsubscribeBody } from "@bazaar/contracts";
import { eq } from "drizzle-orm";
import { createRouter } from "@bazaar/service-kit/http";
import type { Tenancy } from "@bazaar/service-kit/tenancy";
import { pushSubscriptions } from "../../db/schema/index.ts";
import { createId } from "@bazaar/service-kit/ids";
import type { SettingsService } from "../settings/settings.service.ts";

const problem = { "application/problem+json": { schema: Problem } };
const json = <T extends z.ZodType>(schema: T) => ({ "application/json": { schema } });

/**
 * The storefront's Web Push: the store's VAPID public key (the service worker subscribes with it) and
 * the browser's subscription. A signed-in shopper's subscription carries their account and email, so
 * their order updates reach this browser; `marketing` records consent to promotions.
 */
export function pushRoutes(deps: { tenancy: Tenancy; settings: SettingsService }) {
  const { tenancy, settings } = deps;
  return createRouter()
    .openapi(
      createRoute({ method: "get", path: "/api/v1/push/public-key", tags: ["Storefront"], summary: "The store's VAPID public key (applicationServerKey)", responses: { 200: { description: "Key", content: json(PushPublicKey) } } }),
      async (c) => {
        const { tenantId } = c.get("tenant");
        const { publicKey } = await tenancy.withTenant(tenantId, (tx) => settings.vapid(tx, tenantId));
        return c.json({ publicKey }, 200);
      },
    )
    .openapi(
      createRoute({
        method: "post",
        path: "/api/v1/push/subscriptions",
        tags: ["Storefront"],
        summary: "Store this browser's push subscription (again: updated in place)",
        request: { body: { required: true, content: json(PushSubscriptionBody) } },
        responses: { 201: { description: "Stored", content: json(PushSubscriptionCreated) }, 422: { description: "Invalid", content: problem } },
      }),
      async (c) => {
        const { tenantId } = c.get("tenant");
        const body = c.req.valid("json");
        const identity = c.get("identity");
        const values = {
          endpoint: body.endpoint,
          p256dh: body.keys.p256dh,
          auth: body.keys.auth,
          accountId: identity?.sub ?? null,
          email: identity?.email?.toLowerCase() ?? null,
          marketing: body.marketing,
        };
        const out = await tenancy.withTenant(tenantId, async (tx) => {
          const [row] = await tx
            .insert(pushSubscriptions)
            .values({ id: createId("pushSubscription"), ...values })
            .onConflictDoUpdate({ target: pushSubscriptions.endpoint, set: values })
            .returning({ id: pushSubscriptions.id });
          return { id: row!.id, publicKey: (await settings.vapid(tx, tenantId)).publicKey };
        });
        return c.json(out, 201);
      },
    )
    .openapi(
      createRoute({
        method: "delete",
        path: "/api/v1/push/subscriptions",
        tags: ["Storefront"],
        summary: "Forget this browser's subscription (the endpoint URL is its own proof)",
        request: { body: { required: true, content: json(PushUnsubscribeBody) } },
        responses: { 204: { description: "Forgotten (or never known)" }, 422: { description: "Invalid", content: problem } },
      }),
      async (c) => {
        const { endpoint } = c.req.valid("json");
        await tenancy.withTenant(c.get("tenant").tenantId, (tx) => tx.delete(pushSubscriptions).where(eq(pushSubscriptions.endpoint, endpoint)));
        return c.body(null, 204);
      },
    );
}
