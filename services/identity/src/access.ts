import type { AccessTable } from "@bazaar/service-kit/access";

/**
 * Who may call each identity `/api/*` route: the one place this service declares it (enforced by
 * `createServiceCore` after the gateway's signed context is verified; an undeclared `/api/*` route
 * is refused). `/auth/*` (the OIDC provider and its pages) and `/internal/*` are outside the table.
 */
export const ACCESS = {
  "GET /api/v1/admin/staff": ["owner", "manager"],
  "POST /api/v1/admin/staff/invitations": ["owner"],
  "DELETE /api/v1/admin/staff/{accountId}": ["owner"],
} as const satisfies AccessTable;
