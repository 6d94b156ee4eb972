import type { AccessTable } from "@bazaar/service-kit/access";

/** Who may call each catalog route: the one place this service declares it. */
export const ACCESS = {
  "GET /api/v1/products": "public",
  "GET /api/v1/products/{idOrSlug}": "public",
  "GET /api/v1/admin/products": ["owner", "manager", "viewer"],
  "POST /api/v1/admin/products": ["owner", "manager"],
  "GET /api/v1/categories": "public",
  "GET /api/v1/brands": "public",
  "POST /api/v1/admin/categories": ["owner", "manager"],
  "POST /api/v1/admin/brands": ["owner", "manager"],
} as const satisfies AccessTable;
