import { createRoute, z } from "@hono/zod-openapi";
import { GatewayList, GatewaySettings, GatewayTestResult, PaymentProvider, Problem, PutGatewayBody } from "@bazaar/contracts";
import { createRouter } from "@bazaar/service-kit/http";
import type { Tenancy } from "@bazaar/service-kit/tenancy";
import type { PaymentsService } from "../payments/payments.service.ts";
import type { GatewaySettingsService } from "./settings.service.ts";

const problem = { "application/problem+json": { schema: Problem } };
const json = <T extends z.ZodType>(schema: T) => ({ "application/json": { schema } });
const ProviderParam = z.object({ provider: PaymentProvider });
const errors = { 404: { description: "Unknown gateway", content: problem }, 422: { description: "Invalid", content: problem } };

/** The store's payment gateways: which are enabled, the default, credentials (write-only), a connection test. */
export function settingsRoutes(deps: { tenancy: Tenancy; settings: GatewaySettingsService; payments: PaymentsService }) {
  const { tenancy, settings } = deps;
  return createRouter()
    .openapi(
      createRoute({ method: "get", path: "/api/v1/admin/payment-gateways", tags: ["Merchant"], summary: "The store's payment gateways (secrets shown only as set / last 4)", responses: { 200: { description: "Gateways", content: json(GatewayList) } } }),
      async (c) => c.json({ items: await tenancy.withTenant(c.get("tenant").tenantId, (tx) => settings.list(tx)) }, 200),
    )
    .openapi(
      createRoute({ method: "get", path: "/api/v1/admin/payment-gateways/{provider}", tags: ["Merchant"], summary: "One gateway's settings", request: { params: ProviderParam }, responses: { 200: { description: "Settings", content: json(GatewaySettings) }, ...errors } }),
      async (c) => c.json(await tenancy.withTenant(c.get("tenant").tenantId, (tx) => settings.get(tx, c.req.valid("param").provider)), 200),
    )
    .openapi(
      createRoute({
        method: "put",
        path: "/api/v1/admin/payment-gateways/{provider}",
        tags: ["Merchant"],
        summary: "Enable, make default, set public config and (write-only) secrets; an empty secret clears it",
        request: { params: ProviderParam, body: { required: true, content: json(PutGatewayBody) } },
        responses: { 200: { description: "Saved", content: json(GatewaySettings) }, 409: { description: "Default must be enabled", content: problem }, ...errors },
      }),
      async (c) => {
        const tenantId = c.get("tenant").tenantId;
        const { provider } = c.req.valid("param");
        const body = c.req.valid("json");
        return c.json(await tenancy.withTenant(tenantId, (tx) => settings.put(tx, tenantId, provider, body)), 200);
      },
    )
    .openapi(
      createRoute({
        method: "post",
        path: "/api/v1/admin/payment-gateways/{provider}/test",
        tags: ["Merchant"],
        summary: "Try the stored credentials against the provider",
        request: { params: ProviderParam },
        responses: { 200: { description: "Result", content: json(GatewayTestResult) }, ...errors },
      }),
      async (c) => {
        const tenantId = c.get("tenant").tenantId;
        const { provider } = c.req.valid("param");
        const creds = await tenancy.withTenant(tenantId, (tx) => settings.credentials(tx, tenantId, provider, { requireEnabled: false }));
        const gateway = deps.payments.gateway(provider);
        const outcome = await deps.payments.call(gateway, () => gateway.testConnection(creds));
        return c.json(outcome.ok ? outcome.value : { ok: false, detail: outcome.error.message }, 200);
      },
    );
}
