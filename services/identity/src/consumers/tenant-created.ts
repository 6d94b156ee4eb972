import { TenantEvents } from "@bazaar/contracts";
import { defineHandler } from "@bazaar/service-kit/events";
import type { IdentityCtx } from "../context.ts";
import { inviteStaff } from "../modules/invitations/invitations.service.ts";

/**
 * A new store: invite its owner. Runs in the store's schema, once per event (the kit's inbox drops
 * a redelivery in the same transaction as the invitation and its outbox event).
 */
export function tenantCreatedHandler(ctx: IdentityCtx) {
  return defineHandler(TenantEvents.created, async (tx, envelope) => {
    await inviteStaff(ctx, tx, { tenantId: envelope.tenantId, realm: envelope.data.slug, email: envelope.data.ownerEmail, role: "owner", invitedBy: null });
  });
}
