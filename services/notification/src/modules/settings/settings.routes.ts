import type { z } from "@hono/zod-openapi";
import { createRoute } from "@hono/zod-openapi";
import { NotificationSettings, Problem, PutNotificationSettingsBody } from "@bazaar/contracts";
import { createRouter } from "@bazaar/service-kit/http";
import type { Tenancy } from "@bazaar/service-kit/tenancy";
import type { SettingsService } from "./settings.service.ts";

const problem = { "application/problem+json": { schema: Problem } };
const json = <T extends z.ZodType>(schema: T) => ({ "application/json": { schema } });

/** The store's notification settings: channels, sender, providers and (write-only) credentials. */
export function settingsRoutes(deps: { tenancy: Tenancy; settings: SettingsService }) {
  const { tenancy, settings } = deps;
  return createRouter()
    .openapi(
      createRoute({ method: "get", path: "/api/v1/admin/notifications/settings", tags: ["Merchant"], summary: "Notification settings (secrets shown only as set / last 4)", responses: { 200: { description: "Settings", content: json(NotificationSettings) } } }),
      async (c) => c.json(await tenancy.withTenant(c.get("tenant").tenantId, (tx) => settings.get(tx)), 200),
    )
    .openapi(
      createRoute({
        method: "put",
        path: "/api/v1/admin/notifications/settings",
        tags: ["Merchant"],
        summary: "Change channels, sender, providers; secrets are write-only and an empty one clears it",
        request: { body: { required: true, content: json(PutNotificationSettingsBody) } },
        responses: { 200: { description: "Saved", content: json(NotificationSettings) }, 422: { description: "Invalid or incomplete", content: problem } },
      }),
      async (c) => {
        const tenantId = c.get("tenant").tenantId;
        const body = c.req.valid("json");
        return c.json(await tenancy.withTenant(tenantId, (tx) => settings.put(tx, tenantId, body)), 200);
      },
    );
}
