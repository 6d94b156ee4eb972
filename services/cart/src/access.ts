import type { AccessTable } from "@bazaar/service-kit/access";

/**
 * Who may call each cart route: the one place this service declares it. Carts are anonymous-capable:
 * a guest reaches a cart with its token, a signed-in shopper their own cart; that check is the
 * service's (a wrong token or another's cart is the same 404 as a missing one). Merging needs a
 * signed-in caller to merge into.
 */
export const ACCESS = {
  "POST /api/v1/carts": "public",
  "GET /api/v1/carts/{id}": "public",
  "POST /api/v1/carts/{id}/items": "public",
  "PATCH /api/v1/carts/{id}/items/{sku}": "public",
  "DELETE /api/v1/carts/{id}/items/{sku}": "public",
  "POST /api/v1/carts/{id}/ops": "public",
  "POST /api/v1/carts/{id}/merge": "authenticated",
} as const satisfies AccessTable;
