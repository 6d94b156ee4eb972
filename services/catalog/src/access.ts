import type { AccessTable } from "@bazaar/service-kit/access";

const STAFF = ["owner", "manager", "viewer"] as const;
const EDITORS = ["owner", "manager"] as const;

/** Who may call each catalog route: the one place this service declares it. */
export const ACCESS = {
  "GET /api/v1/products": "public",
  "GET /api/v1/products/{idOrSlug}": "public",
  "GET /api/v1/search/suggest": "public",
  "GET /api/v1/categories": "public",
  "GET /api/v1/brands": "public",
  "GET /api/v1/media/demo/{kind}/{file}": "public",
  "GET /api/v1/admin/products": STAFF,
  "GET /api/v1/admin/products/search": STAFF,
  "GET /api/v1/admin/products/{idOrSlug}": STAFF,
  "POST /api/v1/admin/products": EDITORS,
  "PATCH /api/v1/admin/products/{idOrSlug}": EDITORS,
  "DELETE /api/v1/admin/products/{idOrSlug}": EDITORS,
  "POST /api/v1/admin/products/{idOrSlug}/variants": EDITORS,
  "PATCH /api/v1/admin/products/{idOrSlug}/variants/{sku}": EDITORS,
  "DELETE /api/v1/admin/products/{idOrSlug}/variants/{sku}": EDITORS,
  "POST /api/v1/admin/categories": EDITORS,
  "PATCH /api/v1/admin/categories/{idOrSlug}": EDITORS,
  "DELETE /api/v1/admin/categories/{idOrSlug}": EDITORS,
  "POST /api/v1/admin/brands": EDITORS,
  "PATCH /api/v1/admin/brands/{idOrSlug}": EDITORS,
  "DELETE /api/v1/admin/brands/{idOrSlug}": EDITORS,
  "GET /api/v1/admin/attributes": STAFF,
  "POST /api/v1/admin/attributes": EDITORS,
  "PATCH /api/v1/admin/attributes/{code}": EDITORS,
  "DELETE /api/v1/admin/attributes/{code}": EDITORS,
  "POST /api/v1/admin/imports": EDITORS,
  "GET /api/v1/admin/imports": STAFF,
  "GET /api/v1/admin/imports/{id}": STAFF,
} as const satisfies AccessTable;
