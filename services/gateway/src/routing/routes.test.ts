import { describe, expect, it } from "vitest";
import { ROUTES, matchRoute } from "./routes.ts";

const target = (path: string) => {
  const r = matchRoute(path);
  return r && `${r.service}/${r.audience}`;
};

describe("matchRoute", () => {
  it.each([
    ["/api/v1/products", "catalog/store"],
    ["/api/v1/products/prod_01jd5m3x4s9t2v8w0y1z2a3b4c", "catalog/store"],
    ["/api/v1/admin/products", "catalog/admin"],
    ["/api/v1/admin/products/1", "catalog/admin"],
    ["/api/v1/media/demo/apparel/1-210.svg", "catalog/store"],
    ["/api/v1/platform/tenants", "tenant/platform"],
    ["/api/v1/store", "tenant/store"],
    ["/api/v1/admin/theme", "tenant/admin"],
    ["/api/v1/carts/abc/items", "cart/store"],
    ["/api/v1/checkout", "order/store"],
    ["/api/v1/admin/orders/ord_1", "order/admin"],
    ["/api/v1/admin/inventory/levels", "inventory/admin"],
    ["/api/v1/push/subscriptions", "notification/store"],
    ["/api/v1/push/public-key", "notification/store"],
    ["/api/v1/notifications/unsubscribe", "notification/store"],
    ["/api/v1/notifications/consents", "notification/store"],
    ["/api/v1/admin/notifications/templates/order_paid/preview", "notification/admin"],
    ["/api/v1/admin/mailbox", "notification/admin"],
    ["/auth/login", "identity/public"],
    ["/api/v1/admin/payment-gateways/stripe", "payment/admin"],
    ["/api/v1/admin/payments/pay_1", "payment/admin"],
    ["/webhooks/stripe/acme", "payment/public"],
  ])("routes %s to %s", (path, expected) => {
    expect(target(path)).toBe(expected);
  });

  it.each([
    "/api/v1/productsX",
    "/api/v1/products-admin",
    "/api/v1/storefront",
    "/api/v1/admin/productsX/1",
    "/api/v1/admin",
    "/api/v1/admin/unknown",
    "/api/v2/products",
    "/auth",
    "/webhooks",
    "/",
    "",
  ])("matches nothing for %j", (path) => {
    expect(matchRoute(path)).toBeUndefined();
  });

  it("tries longer prefixes first", () => {
    const lengths = ROUTES.map((r) => r.prefix.length);
    expect(lengths).toEqual([...lengths].sort((a, b) => b - a));
  });

  it("sends every rule's own prefix to that rule", () => {
    for (const rule of ROUTES) {
      const path = rule.prefix.endsWith("/") ? `${rule.prefix}x` : rule.prefix;
      expect(matchRoute(path)).toBe(rule);
      expect(matchRoute(`${rule.prefix.replace(/\/$/, "")}/deeper/path`)).toBe(rule);
    }
  });
});
