import type { AccessTable } from "@bazaar/service-kit/access";

/** Who may call each tenant-service route: the one place this service declares it. */
export const ACCESS = {
  "POST /api/v1/platform/tenants": ["operator"],
  "GET /api/v1/platform/tenants": ["operator"],
  "GET /api/v1/platform/tenants/{id}": ["operator"],
  "PATCH /api/v1/platform/tenants/{id}": ["operator"],
  "POST /api/v1/platform/tenants/{id}/provision": ["operator"],
  "DELETE /api/v1/platform/tenants/{id}": ["operator"],
  "GET /api/v1/store": "public",
} as const satisfies AccessTable;
