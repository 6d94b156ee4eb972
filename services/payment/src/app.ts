import { createServiceCore, type CoreDeps, type ServiceHandle } from "@bazaar/service-kit/service";
import type { Tenancy } from "@bazaar/service-kit/tenancy";
import { ACCESS } from "./access.ts";
import { secretsKey } from "./lib/crypto.ts";
import { GatewayRegistry, type PaymentGateway } from "./modules/gateways/gateway.ts";
import { PayPalGateway } from "./modules/gateways/providers/paypal.ts";
import { RazorpayGateway } from "./modules/gateways/providers/razorpay.ts";
import { StripeGateway } from "./modules/gateways/providers/stripe.ts";
import { TestGateway } from "./modules/gateways/providers/test.ts";
import { DEFAULT_RETRY, type RetryOptions } from "./modules/gateways/reliability.ts";
import { adminPaymentRoutes, internalPaymentRoutes } from "./modules/payments/payments.routes.ts";
import { PaymentsService } from "./modules/payments/payments.service.ts";
import { settingsRoutes } from "./modules/settings/settings.routes.ts";
import { GatewaySettingsService } from "./modules/settings/settings.service.ts";
import { webhookRoutes } from "./modules/webhooks/webhooks.routes.ts";

export { TEST_CARDS, TestGateway } from "./modules/gateways/providers/test.ts";
export type { PaymentGateway } from "./modules/gateways/gateway.ts";

export interface PaymentDeps extends CoreDeps {
  /**
   * `PAYMENT_SECRETS_KEY`: 32 bytes (hex or base64) sealing gateway credentials. Required by the
   * production entry point (main.ts); without it (embedded profile, tests) a key is derived from
   * the internal secret.
   */
  secretsKey?: string;
  /**
   * Whether the built-in test gateway takes payments (and its webhooks signed with `test`) for a
   * store that never configured it. Default true (embedded profile, tests); the production entry
   * point sets false: a store then enables it explicitly, with its own webhook secret.
   */
  testGatewayByDefault?: boolean;
  /** The gateways (default: test, Stripe, PayPal, Razorpay; each store enables its own). */
  gateways?: PaymentGateway[];
  retry?: Partial<RetryOptions>;
  breaker?: { threshold: number; cooldownMs: number };
}

export type PaymentHandle = ServiceHandle & { payments: PaymentsService; tenancy: Tenancy };

/** The payment service: per-store gateways, payments with retries and breakers, webhooks, refunds. */
export function createService(deps: PaymentDeps): PaymentHandle {
  const core = createServiceCore("payment", deps, new URL("../migrations/tenant", import.meta.url), { access: ACCESS });
  const testByDefault = deps.testGatewayByDefault ?? true;
  const registry = new GatewayRegistry(
    deps.gateways ?? [new TestGateway({ defaultWebhookSecret: testByDefault ? "test" : undefined }), new StripeGateway(), new PayPalGateway(), new RazorpayGateway()],
  );
  const settings = new GatewaySettingsService(registry, secretsKey(deps.secretsKey, deps.secret), testByDefault);
  const payments = new PaymentsService({
    tenancy: core.tenancy,
    registry,
    settings,
    retry: { ...DEFAULT_RETRY, ...deps.retry },
    breaker: deps.breaker ?? { threshold: 5, cooldownMs: 30_000 },
  });
  const routeDeps = { tenancy: core.tenancy, settings, payments };
  core.app.route("/", settingsRoutes(routeDeps));
  core.app.route("/", adminPaymentRoutes({ payments }));
  core.app.route("/", internalPaymentRoutes({ payments, secret: deps.secret }));
  core.app.route("/", webhookRoutes(routeDeps));
  return Object.assign(core.handle(), { payments, tenancy: core.tenancy });
}
