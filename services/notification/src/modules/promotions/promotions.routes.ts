import { createRoute, z } from "@hono/zod-openapi";
import { Campaign, CampaignBody, CampaignList, Consent, ConsentBody, ConsentPage, PageQuery, Problem, UnsubscribeQuery, UnsubscribeResult } from "@bazaar/contracts";
import { AppError } from "@bazaar/service-kit/errors";
import { createRouter } from "@bazaar/service-kit/http";
import type { Tenancy } from "@bazaar/service-kit/tenancy";
import type { PromotionsService } from "./promotions.service.ts";
import type { UnsubscribeTokens } from "./unsubscribe.ts";

const problem = { "application/problem+json": { schema: Problem } };
const json = <T extends z.ZodType>(schema: T) => ({ "application/json": { schema } });
const PHONE = /^\+[1-9][0-9]{6,14}$/;

/** Campaigns (merchant), consent (shopper) and unsubscribe links (anyone holding one). */
export function promotionRoutes(deps: { tenancy: Tenancy; promotions: PromotionsService; tokens: UnsubscribeTokens; kick: () => void }) {
  const { tenancy, promotions } = deps;
  const unsubscribe = async (tenantId: string, token: string) => {
    const claim = deps.tokens.verify(token);
    // Another store's link is as unknown here as a forged one.
    if (!claim || claim.tenantId !== tenantId) throw new AppError("not_found", "This unsubscribe link is not valid for this store.");
    await tenancy.withTenant(tenantId, (tx) => promotions.setConsent(tx, claim.channel, claim.address, false, "unsubscribe_link"));
    return { channel: claim.channel, address: claim.address, optedIn: false as const };
  };
  return createRouter()
    .openapi(
      createRoute({
        method: "post",
        path: "/api/v1/admin/notifications/campaigns",
        tags: ["Merchant"],
        summary: "Send a campaign to every shopper who opted in, per channel (throttled per channel)",
        request: { body: { required: true, content: json(CampaignBody) } },
        responses: { 201: { description: "Queued", content: json(Campaign) }, 409: { description: "A channel is off", content: problem }, 422: { description: "Invalid", content: problem } },
      }),
      async (c) => {
        const store = c.get("tenant");
        const body = c.req.valid("json");
        const out = await tenancy.withTenant(store.tenantId, (tx) => promotions.create(tx, store, body));
        deps.kick();
        return c.json(out, 201);
      },
    )
    .openapi(
      createRoute({ method: "get", path: "/api/v1/admin/notifications/campaigns", tags: ["Merchant"], summary: "Recent campaigns", responses: { 200: { description: "Campaigns", content: json(CampaignList) } } }),
      async (c) => c.json({ items: await tenancy.withTenant(c.get("tenant").tenantId, (tx) => promotions.list(tx)) }, 200),
    )
    .openapi(
      createRoute({ method: "get", path: "/api/v1/admin/notifications/consents", tags: ["Merchant"], summary: "Shoppers' consent to promotions", request: { query: PageQuery }, responses: { 200: { description: "Page", content: json(ConsentPage) } } }),
      async (c) => {
        const q = c.req.valid("query");
        return c.json(await tenancy.withTenant(c.get("tenant").tenantId, (tx) => promotions.consents(tx, q)), 200);
      },
    )
    .openapi(
      createRoute({
        method: "post",
        path: "/api/v1/notifications/consents",
        tags: ["Storefront"],
        summary: "The signed-in shopper opts in or out of promotions (email: their own address; SMS: a phone number)",
        request: { body: { required: true, content: json(ConsentBody) } },
        responses: { 200: { description: "Recorded", content: json(Consent) }, 422: { description: "Invalid", content: problem } },
      }),
      async (c) => {
        const body = c.req.valid("json");
        const identity = c.get("identity")!;
        const address = body.channel === "email" ? identity.email?.toLowerCase() : body.address;
        if (!address) throw new AppError("validation_failed", "No address to record.", [{ path: "address", message: body.channel === "email" ? "the signed-in account has no email" : "the phone number is needed" }]);
        if (body.channel === "sms" && !PHONE.test(address)) throw new AppError("validation_failed", "Not a phone number.", [{ path: "address", message: "E.164 phone number, e.g. +15551234567" }]);
        const out = await tenancy.withTenant(c.get("tenant").tenantId, (tx) => promotions.setConsent(tx, body.channel, address, body.optIn, `shopper:${identity.sub}`));
        return c.json(out, 200);
      },
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/api/v1/notifications/unsubscribe",
        tags: ["Storefront"],
        summary: "The page of an unsubscribe link: a button that confirms (link scanners only GET, so nothing changes here)",
        request: { query: UnsubscribeQuery },
        responses: { 200: { description: "Confirmation page", content: { "text/html": { schema: z.string() } } }, 422: { description: "Invalid", content: problem } },
      }),
      (c) => {
        const token = c.req.valid("query").token.replace(/[^A-Za-z0-9_.-]/g, "");
        return c.html(`<!doctype html><html><body style="font-family:system-ui;max-width:480px;margin:4em auto"><h1>Unsubscribe</h1><p>Stop receiving promotions from this store?</p><form method="post" action="?token=${token}"><button type="submit">Unsubscribe</button></form></body></html>`);
      },
    )
    .openapi(
      createRoute({
        method: "post",
        path: "/api/v1/notifications/unsubscribe",
        tags: ["Storefront"],
        summary: "Unsubscribe (the link's confirmation, or RFC 8058 one-click from the mail client)",
        request: { query: UnsubscribeQuery },
        responses: { 200: { description: "Opted out", content: json(UnsubscribeResult) }, 404: { description: "Not a valid link for this store", content: problem } },
      }),
      async (c) => c.json(await unsubscribe(c.get("tenant").tenantId, c.req.valid("query").token), 200),
    );
}
