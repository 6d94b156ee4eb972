import type { AccessTable } from "@bazaar/service-kit/access";

const STAFF = ["owner", "manager", "viewer"] as const;
const EDITORS = ["owner", "manager"] as const;

/**
 * Who may call each order route: the one place this service declares it. Checkout and an order's
 * page are open to guests: the cart token (checkout) and the order access token (reading) are
 * checked by the service, and a wrong one is the same 404 as a missing order.
 */
export const ACCESS = {
  "POST /api/v1/checkout": "public",
  "GET /api/v1/orders": "authenticated",
  "GET /api/v1/orders/{id}": "public",
  "GET /api/v1/admin/orders/settings": STAFF,
  "PUT /api/v1/admin/orders/settings": ["owner"],
  "GET /api/v1/admin/orders": STAFF,
  "GET /api/v1/admin/orders/{id}": STAFF,
  "POST /api/v1/admin/orders/{id}/ship": EDITORS,
  "POST /api/v1/admin/orders/{id}/deliver": EDITORS,
  "POST /api/v1/admin/orders/{id}/cancel": EDITORS,
  "POST /api/v1/admin/orders/{id}/refund": EDITORS,
} as const satisfies AccessTable;
