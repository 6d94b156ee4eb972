import { IdentityEvents, type STAFF_ROLES } from "@bazaar/contracts";
import type { Tx } from "@bazaar/service-kit/db";
import { enqueue } from "@bazaar/service-kit/events";
import { actionTokens } from "../../db/schema/index.ts";
import { issuerOf, type IdentityCtx } from "../../context.ts";
import { randomToken, sha256 } from "../../lib/crypto.ts";
import { newId } from "../../lib/ids.ts";
import { normalizeEmail } from "../accounts/accounts.service.ts";

/**
 * Invite a person to the store's staff: a single-use invitation token (only its hash is kept) and
 * an `identity.staff.invited` event carrying the link, in the caller's transaction (outbox).
 */
export async function inviteStaff(
  ctx: IdentityCtx,
  tx: Tx,
  input: { tenantId: string; realm: string; email: string; role: (typeof STAFF_ROLES)[number]; invitedBy: string | null },
): Promise<{ id: string; expiresAt: Date }> {
  const token = randomToken(32);
  const id = newId("action");
  const email = normalizeEmail(input.email);
  const expiresAt = new Date(ctx.clock().getTime() + ctx.settings.lifetimes.invitation * 1000);
  await tx.insert(actionTokens).values({ id, tokenHash: sha256(token), kind: "invitation", email, role: input.role, invitedBy: input.invitedBy, expiresAt });
  // The acceptance page arrives with the login pages; this is Keycloak's action-token path.
  const inviteUrl = `${issuerOf(ctx.settings, input.realm)}/login-actions/action-token?key=${encodeURIComponent(token)}`;
  await enqueue(tx, IdentityEvents.staffInvited, {
    tenantId: input.tenantId,
    aggregateId: id,
    data: { email, role: input.role, inviteUrl, invitedBy: input.invitedBy, expiresAt: expiresAt.toISOString() },
  });
  return { id, expiresAt };
}
