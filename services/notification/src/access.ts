import type { AccessTable } from "@bazaar/service-kit/access";

const STAFF = ["owner", "manager", "viewer"] as const;
const EDITORS = ["owner", "manager"] as const;
const OWNER = ["owner"] as const;

/**
 * Who may call each notification route: the one place this service declares it. Settings hold the
 * store's provider credentials (the owner's); templates, resends and campaigns are the editors';
 * staff read. A browser subscribes to push as a guest or signed in; unsubscribe links carry their own
 * signed token.
 */
export const ACCESS = {
  "GET /api/v1/admin/notifications/settings": STAFF,
  "PUT /api/v1/admin/notifications/settings": OWNER,
  "GET /api/v1/admin/notifications/templates": STAFF,
  "GET /api/v1/admin/notifications/templates/{key}": STAFF,
  "PUT /api/v1/admin/notifications/templates/{key}": EDITORS,
  "DELETE /api/v1/admin/notifications/templates/{key}": EDITORS,
  "POST /api/v1/admin/notifications/templates/{key}/preview": STAFF,
  "GET /api/v1/admin/notifications/deliveries": STAFF,
  "GET /api/v1/admin/notifications/deliveries/{id}": STAFF,
  "POST /api/v1/admin/notifications/deliveries/{id}/resend": EDITORS,
  "GET /api/v1/admin/notifications/campaigns": STAFF,
  "POST /api/v1/admin/notifications/campaigns": EDITORS,
  "GET /api/v1/admin/notifications/consents": STAFF,
  "GET /api/v1/admin/mailbox": STAFF,
  "GET /api/v1/push/public-key": "public",
  "POST /api/v1/push/subscriptions": "public",
  "DELETE /api/v1/push/subscriptions": "public",
  "POST /api/v1/notifications/consents": "authenticated",
  "GET /api/v1/notifications/unsubscribe": "public",
  "POST /api/v1/notifications/unsubscribe": "public",
} as const satisfies AccessTable;
