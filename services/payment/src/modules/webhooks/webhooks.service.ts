import type { PaymentProvider } from "@bazaar/contracts";
import { AppError } from "@bazaar/service-kit/errors";
import { createId } from "@bazaar/service-kit/ids";
import type { Tenancy } from "@bazaar/service-kit/tenancy";
import { webhookEvents } from "../../db/schema/index.ts";
import { WebhookRejected, type ProviderResult } from "../gateways/gateway.ts";
import * as repo from "../payments/payments.repo.ts";
import type { PaymentsService } from "../payments/payments.service.ts";
import type { GatewaySettingsService } from "../settings/settings.service.ts";

export interface WebhookOutcome {
  duplicate: boolean;
  paymentId: string | null;
}

/**
 * A provider's webhook for one store: verified with the store's webhook secret, then recorded by
 * the provider's event id (unique), so a redelivery changes nothing a second time.
 */
export async function receiveWebhook(
  deps: { tenancy: Tenancy; settings: GatewaySettingsService; payments: PaymentsService },
  input: { provider: PaymentProvider; storeSlug: string; rawBody: string; headers: Record<string, string> },
): Promise<WebhookOutcome> {
  const placement = await deps.tenancy.findBySlug(input.storeSlug);
  if (!placement) throw new AppError("not_found", "No such store.");
  const tenantId = placement.tenantId;
  const gateway = deps.payments.gateway(input.provider);
  const creds = await deps.tenancy.withTenant(tenantId, (tx) => deps.settings.credentials(tx, tenantId, input.provider, { requireEnabled: false }));
  let event;
  try {
    event = await gateway.verifyWebhook(creds, input.rawBody, input.headers);
  } catch (err) {
    if (err instanceof WebhookRejected || err instanceof SyntaxError) throw new AppError("bad_request", `Webhook refused: ${err.message}`);
    throw err;
  }
  return deps.tenancy.withTenant(tenantId, async (tx) => {
    const payment = event.providerRef ? await repo.byProviderRef(tx, input.provider, event.providerRef) : undefined;
    const [inserted] = await tx
      .insert(webhookEvents)
      .values({ id: createId("webhook"), provider: input.provider, eventId: event.eventId, type: event.type, paymentId: payment?.id ?? null })
      .onConflictDoNothing()
      .returning({ id: webhookEvents.id });
    if (!inserted) return { duplicate: true, paymentId: payment?.id ?? null };
    if (payment && event.status) {
      const result: ProviderResult & { refund?: number } =
        event.status === "refunded"
          ? { status: "succeeded", providerRef: payment.providerRef, refund: payment.amount - payment.refundedAmount }
          : { status: event.status, providerRef: payment.providerRef, ...(event.status === "failed" ? { failureCode: "provider_reported_failure" } : {}) };
      if (event.status !== "refunded" || payment.refundedAmount < payment.amount) await deps.payments.apply(tx, tenantId, payment.id, result, "provider");
    }
    return { duplicate: false, paymentId: payment?.id ?? null };
  });
}
