import { IdentityEvents, InventoryEvents, OrderEvents, type NotificationTemplateKey } from "@bazaar/contracts";
import type { Tx } from "@bazaar/service-kit/db";
import { defineHandler, type EventHandler } from "@bazaar/service-kit/events";
import type { EventDefinition, EventEnvelope } from "@bazaar/contracts";
import type { z } from "zod";
import { inboundEvents } from "../../db/schema/index.ts";

/**
 * The events the service listens to and the template each one sends. Event types are always taken
 * from their contracts (never spelled here), so a renamed event keeps working.
 */
export const SUBSCRIBED = [
  [OrderEvents.created, "order_created"],
  [OrderEvents.paid, "order_paid"],
  [OrderEvents.paymentFailed, "order_payment_failed"],
  [OrderEvents.cancelled, "order_cancelled"],
  [OrderEvents.shipped, "order_shipped"],
  [OrderEvents.delivered, "order_delivered"],
  [OrderEvents.refunded, "order_refunded"],
  [IdentityEvents.passwordResetRequested, "password_reset"],
  [IdentityEvents.emailVerificationRequested, "email_verification"],
  [IdentityEvents.staffInvited, "staff_invitation"],
  [InventoryEvents.stockLow, "stock_low"],
] as const satisfies readonly (readonly [{ type: string }, NotificationTemplateKey])[];

/**
 * One handler per subscribed event, all the same: record the event (inside the kit's inbox
 * transaction) for the background job and return. Nothing here calls a provider or another service,
 * so a failing provider never holds up or fails the consumer.
 */
export function intakeHandlers(onRecorded: () => void): EventHandler[] {
  const record = (template: NotificationTemplateKey) => async (tx: Tx, envelope: EventEnvelope<unknown>) => {
    await tx
      .insert(inboundEvents)
      .values({ id: envelope.id, type: envelope.type, template, aggregateId: envelope.aggregateId, data: envelope.data as object, occurredAt: new Date(envelope.occurredAt) })
      .onConflictDoNothing();
    // The transaction commits right after this returns; the job looks a moment later.
    setTimeout(onRecorded, 5).unref();
  };
  return SUBSCRIBED.map(([event, template]) => defineHandler(event as EventDefinition<string, z.ZodType>, record(template)));
}
