import { STAFF_ROLES, type IdentityContext } from "@bazaar/contracts";
import { AppError } from "@bazaar/service-kit/errors";
import type { TenantContext } from "@bazaar/service-kit/tenancy";
import type { IdentityCtx } from "../../context.ts";
import { accountsWithAnyRole, endAllSessionsOf, findAccountByEmail, lockAccountAndRoleHolders, updateAccount } from "../accounts/accounts.repo.ts";
import { normalizeEmail } from "../accounts/accounts.service.ts";
import { pendingInvitations } from "../accounts/action-tokens.ts";
import { inviteStaff, type Invitation, type StaffRole } from "../invitations/invitations.service.ts";
import type { StaffInvitation, StaffList } from "./staff.schemas.ts";

const STAFF: readonly string[] = STAFF_ROLES;
const staffRolesOf = (roles: readonly string[]) => roles.filter((r): r is StaffRole => STAFF.includes(r));

/**
 * The caller must belong to the store's realm. The gateway already refuses another store's token;
 * this keeps the service safe on its own (defence in depth).
 */
export function requireOwnRealm(tenant: TenantContext, identity: IdentityContext | undefined): IdentityContext {
  if (!identity) throw new AppError("unauthorized", "Sign in to do this.");
  if (identity.realm !== tenant.slug) throw new AppError("forbidden", "This token belongs to another store.");
  return identity;
}

const toInvitation = (i: Invitation): StaffInvitation => ({
  id: i.id,
  email: i.email,
  role: i.role,
  invitedBy: i.invitedBy,
  expiresAt: i.expiresAt.toISOString(),
  createdAt: i.createdAt.toISOString(),
});

/** Invite someone to the store's staff (owners only, by the access table); 409 if they already hold the role. */
export async function createInvitation(ctx: IdentityCtx, tenant: TenantContext, caller: IdentityContext, body: { email: string; role: StaffRole }): Promise<StaffInvitation> {
  const email = normalizeEmail(body.email);
  return ctx.tenancy.withTenant(tenant.tenantId, async (tx) => {
    const existing = await findAccountByEmail(tx, email);
    if (existing?.roles.includes(body.role)) throw new AppError("conflict", `${email} is already ${body.role} of this store.`);
    const invitation = await inviteStaff(ctx, tx, { tenantId: tenant.tenantId, realm: tenant.slug, email, role: body.role, invitedBy: caller.sub });
    return toInvitation(invitation);
  });
}

/** Accounts holding a staff role, and invitations still open. */
export async function listStaff(ctx: IdentityCtx, tenant: TenantContext): Promise<StaffList> {
  const now = ctx.clock();
  return ctx.tenancy.withTenant(tenant.tenantId, async (tx) => {
    const members = await accountsWithAnyRole(tx, STAFF_ROLES);
    const invitations = await pendingInvitations(tx, now);
    return {
      members: members.map((m) => ({
        id: m.id,
        email: m.email,
        name: m.name,
        roles: staffRolesOf(m.roles),
        emailVerified: m.emailVerified,
        createdAt: m.createdAt.toISOString(),
      })),
      invitations: invitations.flatMap((i) => {
        const role = staffRolesOf([i.role ?? ""])[0];
        return role && i.email
          ? [toInvitation({ id: i.id, email: i.email, role, invitedBy: i.invitedBy, expiresAt: i.expiresAt, createdAt: i.createdAt })]
          : [];
      }),
    };
  });
}

/**
 * Take every staff role from the account (it stays, with any shopper role) and end its sessions,
 * so its refresh tokens stop working now rather than at their next rotation. The last owner cannot
 * be removed (409): owners are locked together, so two owners removing each other cannot both win.
 */
export async function removeStaff(ctx: IdentityCtx, tenant: TenantContext, accountId: string): Promise<void> {
  const now = ctx.clock();
  await ctx.tenancy.withTenant(tenant.tenantId, async (tx) => {
    const locked = await lockAccountAndRoleHolders(tx, accountId, "owner");
    const target = locked.find((a) => a.id === accountId);
    if (!target || staffRolesOf(target.roles).length === 0) throw new AppError("not_found", "No staff member with this id.");
    const owners = locked.filter((a) => a.roles.includes("owner"));
    if (target.roles.includes("owner") && owners.length <= 1) {
      throw new AppError("conflict", "This is the store's last owner: make someone else owner first.");
    }
    await updateAccount(tx, target.id, { roles: target.roles.filter((r) => !STAFF.includes(r)) }, now);
    await endAllSessionsOf(tx, target.id, now);
  });
}
