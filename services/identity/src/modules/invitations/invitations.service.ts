import { IdentityEvents, type STAFF_ROLES } from "@bazaar/contracts";
import type { Tx } from "@bazaar/service-kit/db";
import { enqueue } from "@bazaar/service-kit/events";
import type { IdentityCtx } from "../../context.ts";
import { newId } from "../../lib/ids.ts";
import { normalizeEmail } from "../accounts/accounts.service.ts";
import { actionUrl, insertActionToken, mintActionKey } from "../accounts/action-tokens.ts";

export type StaffRole = (typeof STAFF_ROLES)[number];

export interface Invitation {
  id: string;
  email: string;
  role: StaffRole;
  invitedBy: string | null;
  expiresAt: Date;
  createdAt: Date;
}

/**
 * Invite a person to the store's staff: a single-use invitation token (only its hash is kept) and
 * an `identity.staff.invited` event carrying the link, in the caller's transaction (outbox). The
 * link opens the acceptance page (`/login-actions/action-token`, account-pages module).
 */
export async function inviteStaff(
  ctx: IdentityCtx,
  tx: Tx,
  input: { tenantId: string; realm: string; email: string; role: StaffRole; invitedBy: string | null },
): Promise<Invitation> {
  const { key, hash } = mintActionKey();
  const id = newId("action");
  const email = normalizeEmail(input.email);
  const createdAt = ctx.clock();
  const expiresAt = new Date(createdAt.getTime() + ctx.settings.lifetimes.invitation * 1000);
  await insertActionToken(tx, { id, tokenHash: hash, kind: "invitation", email, role: input.role, invitedBy: input.invitedBy, expiresAt, createdAt });
  await enqueue(tx, IdentityEvents.staffInvited, {
    tenantId: input.tenantId,
    aggregateId: id,
    data: { email, role: input.role, inviteUrl: actionUrl(ctx.settings, input.realm, key), invitedBy: input.invitedBy, expiresAt: expiresAt.toISOString() },
  });
  return { id, email, role: input.role, invitedBy: input.invitedBy, expiresAt, createdAt };
}
