import type { AccessTable } from "@bazaar/service-kit/access";

const STAFF = ["owner", "manager", "viewer"] as const;
const OWNER = ["owner"] as const;

/**
 * Who may call each merchant route of the payment service. Gateway settings are the owner's to
 * change (they hold the store's payment credentials); staff read them without secrets. Provider
 * webhooks (`/webhooks/{provider}/{storeSlug}`) are not here: they carry no caller, only the provider's
 * signature, which the service verifies itself.
 */
export const ACCESS = {
  "GET /api/v1/admin/payment-gateways": STAFF,
  "GET /api/v1/admin/payment-gateways/{provider}": STAFF,
  "PUT /api/v1/admin/payment-gateways/{provider}": OWNER,
  "POST /api/v1/admin/payment-gateways/{provider}/test": OWNER,
  "GET /api/v1/admin/payments": STAFF,
  "GET /api/v1/admin/payments/{id}": STAFF,
} as const satisfies AccessTable;
