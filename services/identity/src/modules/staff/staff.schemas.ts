import { z } from "@hono/zod-openapi";
import { STAFF_ROLES } from "@bazaar/contracts";

/**
 * The staff API's shapes. They belong in `@bazaar/contracts` (identity) once the admin app reads
 * them; kept here until then.
 */
export const StaffRole = z.enum(STAFF_ROLES);

export const InviteStaffBody = z
  .object({
    email: z.email().max(320),
    role: StaffRole,
  })
  .openapi("InviteStaffBody");

export const StaffInvitation = z
  .object({
    id: z.string(),
    email: z.string(),
    role: StaffRole,
    invitedBy: z.string().nullable(),
    expiresAt: z.string(),
    createdAt: z.string(),
  })
  .openapi("StaffInvitation");
export type StaffInvitation = z.infer<typeof StaffInvitation>;

export const StaffMember = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string().nullable(),
    /** Staff roles only (a member may also be a shopper of the store; that is not listed). */
    roles: z.array(StaffRole),
    emailVerified: z.boolean(),
    createdAt: z.string(),
  })
  .openapi("StaffMember");
export type StaffMember = z.infer<typeof StaffMember>;

export const StaffList = z
  .object({
    members: z.array(StaffMember),
    invitations: z.array(StaffInvitation).describe("Pending: not accepted, not expired"),
  })
  .openapi("StaffList");
export type StaffList = z.infer<typeof StaffList>;

export const StaffAccountParam = z.object({ accountId: z.string().min(1).max(64).openapi({ param: { name: "accountId", in: "path" }, example: "acc_01jz0000000000000000000000" }) });
