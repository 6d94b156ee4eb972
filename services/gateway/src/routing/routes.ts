/** Which service answers which public path prefix, and who may call it. Longest prefix wins. */
export type Audience = "store" | "admin" | "platform" | "public";

export interface RouteRule {
  prefix: string;
  service: string;
  audience: Audience;
}

const RULES: RouteRule[] = [
  { prefix: "/api/v1/platform/", service: "tenant", audience: "platform" },
  { prefix: "/api/v1/store", service: "tenant", audience: "store" },
  { prefix: "/api/v1/admin/theme", service: "tenant", audience: "admin" },
  { prefix: "/api/v1/admin/payment-gateways", service: "payment", audience: "admin" },
  { prefix: "/api/v1/admin/payments", service: "payment", audience: "admin" },
  { prefix: "/webhooks/", service: "payment", audience: "public" },
  { prefix: "/api/v1/products", service: "catalog", audience: "store" },
  { prefix: "/api/v1/categories", service: "catalog", audience: "store" },
  { prefix: "/api/v1/brands", service: "catalog", audience: "store" },
  { prefix: "/api/v1/search", service: "catalog", audience: "store" },
  { prefix: "/api/v1/media", service: "catalog", audience: "store" },
  { prefix: "/api/v1/admin/products", service: "catalog", audience: "admin" },
  { prefix: "/api/v1/admin/categories", service: "catalog", audience: "admin" },
  { prefix: "/api/v1/admin/brands", service: "catalog", audience: "admin" },
  { prefix: "/api/v1/admin/attributes", service: "catalog", audience: "admin" },
  { prefix: "/api/v1/admin/imports", service: "catalog", audience: "admin" },
  { prefix: "/api/v1/carts", service: "cart", audience: "store" },
  { prefix: "/api/v1/checkout", service: "order", audience: "store" },
  { prefix: "/api/v1/orders", service: "order", audience: "store" },
  { prefix: "/api/v1/admin/orders", service: "order", audience: "admin" },
  { prefix: "/api/v1/admin/analytics", service: "order", audience: "admin" },
  { prefix: "/api/v1/admin/inventory", service: "inventory", audience: "admin" },
  { prefix: "/api/v1/recommendations", service: "recommendation", audience: "store" },
  { prefix: "/api/v1/events", service: "recommendation", audience: "store" },
  { prefix: "/api/v1/push/", service: "notification", audience: "store" },
  { prefix: "/api/v1/admin/notifications", service: "notification", audience: "admin" },
  { prefix: "/api/v1/admin/mailbox", service: "notification", audience: "admin" },
  // Shoppers' consent and unsubscribe links (the store comes from the link's host name).
  { prefix: "/api/v1/notifications/", service: "notification", audience: "store" },
  { prefix: "/api/v1/admin/staff", service: "identity", audience: "admin" },
  { prefix: "/auth/", service: "identity", audience: "public" },
];

export const ROUTES: RouteRule[] = [...RULES].sort((a, b) => b.prefix.length - a.prefix.length);

export function matchRoute(path: string): RouteRule | undefined {
  return ROUTES.find((r) => (r.prefix.endsWith("/") ? path.startsWith(r.prefix) : path === r.prefix || path.startsWith(`${r.prefix}/`)));
}
