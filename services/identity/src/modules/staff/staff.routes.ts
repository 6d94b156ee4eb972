import { createRoute } from "@hono/zod-openapi";
import { Problem } from "@bazaar/contracts";
import { createRouter } from "@bazaar/service-kit/http";
import type { IdentityCtx } from "../../context.ts";
import { InviteStaffBody, StaffAccountParam, StaffInvitation, StaffList } from "./staff.schemas.ts";
import { createInvitation, listStaff, removeStaff, requireOwnRealm } from "./staff.service.ts";

const problem = { "application/problem+json": { schema: Problem } };
const refusals = {
  401: { description: "No caller", content: problem },
  403: { description: "Not allowed (role, or a token of another store)", content: problem },
} as const;

/**
 * The store's staff, for merchants (through the gateway, audience admin). Who may call what is in
 * `src/access.ts`; the store is the gateway's signed `tenant`, the caller its signed `identity`.
 */
export function staffRoutes(ctx: IdentityCtx) {
  return createRouter()
    .openapi(
      createRoute({
        method: "post",
        path: "/api/v1/admin/staff/invitations",
        tags: ["Merchant"],
        summary: "Invite a person to the store's staff",
        description: "Mints a single-use invitation link (7 days) and emits `identity.staff.invited` with it; accepting creates the account or adds the role.",
        request: { body: { required: true, content: { "application/json": { schema: InviteStaffBody } } } },
        responses: {
          201: { description: "Invited", content: { "application/json": { schema: StaffInvitation } } },
          ...refusals,
          409: { description: "Already holds this role", content: problem },
          422: { description: "Invalid body", content: problem },
        },
      }),
      async (c) => {
        const tenant = c.get("tenant");
        const caller = requireOwnRealm(tenant, c.get("identity"));
        return c.json(await createInvitation(ctx, tenant, caller, c.req.valid("json")), 201);
      },
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/api/v1/admin/staff",
        tags: ["Merchant"],
        summary: "The store's staff and pending invitations",
        responses: {
          200: { description: "Members and pending invitations", content: { "application/json": { schema: StaffList } } },
          ...refusals,
        },
      }),
      async (c) => {
        const tenant = c.get("tenant");
        requireOwnRealm(tenant, c.get("identity"));
        return c.json(await listStaff(ctx, tenant), 200);
      },
    )
    .openapi(
      createRoute({
        method: "delete",
        path: "/api/v1/admin/staff/{accountId}",
        tags: ["Merchant"],
        summary: "Remove a person from the staff",
        description: "Takes the account's staff roles (the account itself stays) and ends its sessions. The last owner cannot be removed.",
        request: { params: StaffAccountParam },
        responses: {
          204: { description: "Removed" },
          ...refusals,
          404: { description: "No staff member with this id", content: problem },
          409: { description: "The store's last owner", content: problem },
        },
      }),
      async (c) => {
        const tenant = c.get("tenant");
        requireOwnRealm(tenant, c.get("identity"));
        await removeStaff(ctx, tenant, c.req.valid("param").accountId);
        return c.body(null, 204);
      },
    );
}
