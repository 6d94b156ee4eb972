import type { AccessTable } from "@bazaar/service-kit/access";

const STAFF = ["owner", "manager", "viewer"] as const;
const EDITORS = ["owner", "manager"] as const;

/**
 * Who may call each inventory route: the one place this service declares it. Reservations are not
 * here: they live under `/internal/inventory/*`, for other services only (internal secret + signed store).
 */
export const ACCESS = {
  "GET /api/v1/admin/inventory": STAFF,
  "GET /api/v1/admin/inventory/{sku}": STAFF,
  "PUT /api/v1/admin/inventory/{sku}": EDITORS,
  "POST /api/v1/admin/inventory/{sku}/adjustments": EDITORS,
  "PUT /api/v1/admin/inventory/{sku}/threshold": EDITORS,
} as const satisfies AccessTable;
