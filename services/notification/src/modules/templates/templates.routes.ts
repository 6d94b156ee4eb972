import { createRoute, z } from "@hono/zod-openapi";
import { NotificationTemplate, NotificationTemplateKey, NotificationTemplateList, PreviewTemplateBody, Problem, PutTemplateBody, RenderedTemplate } from "@bazaar/contracts";
import { createRouter } from "@bazaar/service-kit/http";
import type { Tenancy } from "@bazaar/service-kit/tenancy";
import type { SettingsService } from "../settings/settings.service.ts";
import { TemplatesService } from "./templates.service.ts";

const problem = { "application/problem+json": { schema: Problem } };
const json = <T extends z.ZodType>(schema: T) => ({ "application/json": { schema } });
const KeyParam = z.object({ key: NotificationTemplateKey });
const errors = { 404: { description: "Unknown template", content: problem }, 422: { description: "Invalid", content: problem } };
const PATH = "/api/v1/admin/notifications/templates";

/** Templates per store and message: list, read, edit, reset to the default, preview with sample data. */
export function templateRoutes(deps: { tenancy: Tenancy; settings: SettingsService }) {
  const { tenancy } = deps;
  return createRouter()
    .openapi(
      createRoute({ method: "get", path: PATH, tags: ["Merchant"], summary: "Every message's template (the store's or the default)", responses: { 200: { description: "Templates", content: json(NotificationTemplateList) } } }),
      async (c) => c.json({ items: await tenancy.withTenant(c.get("tenant").tenantId, (tx) => TemplatesService.list(tx)) }, 200),
    )
    .openapi(
      createRoute({ method: "get", path: `${PATH}/{key}`, tags: ["Merchant"], summary: "One template", request: { params: KeyParam }, responses: { 200: { description: "Template", content: json(NotificationTemplate) }, ...errors } }),
      async (c) => c.json(await tenancy.withTenant(c.get("tenant").tenantId, (tx) => TemplatesService.get(tx, c.req.valid("param").key)), 200),
    )
    .openapi(
      createRoute({
        method: "put",
        path: `${PATH}/{key}`,
        tags: ["Merchant"],
        summary: "Change parts of a template (Handlebars; values are HTML-escaped; an empty part turns that channel off)",
        request: { params: KeyParam, body: { required: true, content: json(PutTemplateBody) } },
        responses: { 200: { description: "Saved", content: json(NotificationTemplate) }, ...errors },
      }),
      async (c) => {
        const { key } = c.req.valid("param");
        const body = c.req.valid("json");
        return c.json(await tenancy.withTenant(c.get("tenant").tenantId, (tx) => TemplatesService.put(tx, key, body)), 200);
      },
    )
    .openapi(
      createRoute({ method: "delete", path: `${PATH}/{key}`, tags: ["Merchant"], summary: "Back to the shipped default", request: { params: KeyParam }, responses: { 200: { description: "Default", content: json(NotificationTemplate) }, ...errors } }),
      async (c) => c.json(await tenancy.withTenant(c.get("tenant").tenantId, (tx) => TemplatesService.reset(tx, c.req.valid("param").key)), 200),
    )
    .openapi(
      createRoute({
        method: "post",
        path: `${PATH}/{key}/preview`,
        tags: ["Merchant"],
        summary: "Render the template (with unsaved parts, if given) from sample data",
        request: { params: KeyParam, body: { required: false, content: json(PreviewTemplateBody) } },
        responses: { 200: { description: "Rendered", content: json(RenderedTemplate) }, ...errors },
      }),
      async (c) => {
        const { tenantId, slug } = c.get("tenant");
        const { key } = c.req.valid("param");
        const parts = c.req.valid("json") ?? {};
        return c.json(
          await tenancy.withTenant(tenantId, async (tx) => {
            const s = await deps.settings.get(tx);
            return TemplatesService.preview(tx, key, s.sender.name ?? slug, parts);
          }),
          200,
        );
      },
    );
}
