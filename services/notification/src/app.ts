import { createServiceClient, type ServiceTarget } from "@bazaar/service-kit/clients";
import { createServiceCore, type CoreDeps, type ServiceHandle } from "@bazaar/service-kit/service";
import type { Tenancy } from "@bazaar/service-kit/tenancy";
import { ACCESS } from "./access.ts";
import { secretsKey } from "./lib/crypto.ts";
import { MailboxTransport } from "./modules/channels/mailbox.ts";
import { TransportRegistry, type PlatformTransports, type ProviderOverrides } from "./modules/channels/registry.ts";
import { DEFAULT_RETRY, NotificationJob, type RetryPolicy } from "./modules/deliveries/deliveries.job.ts";
import { deliveryRoutes } from "./modules/deliveries/deliveries.routes.ts";
import { intakeHandlers } from "./modules/intake/intake.consumers.ts";
import { orderReader } from "./modules/intake/intake.orders.ts";
import { storeNames } from "./modules/intake/intake.store.ts";
import { PromotionsService } from "./modules/promotions/promotions.service.ts";
import { promotionRoutes } from "./modules/promotions/promotions.routes.ts";
import { UnsubscribeTokens } from "./modules/promotions/unsubscribe.ts";
import { pushRoutes } from "./modules/push/push.routes.ts";
import { settingsRoutes } from "./modules/settings/settings.routes.ts";
import { SettingsService } from "./modules/settings/settings.service.ts";
import { templateRoutes } from "./modules/templates/templates.routes.ts";

export type { PlatformTransports, ProviderOverrides } from "./modules/channels/registry.ts";
export type { RetryPolicy } from "./modules/deliveries/deliveries.job.ts";

export interface NotificationOptions {
  retry?: Partial<RetryPolicy>;
  /** How long a message being sent is kept from other instances (default 60 s). */
  leaseMs?: number;
  /** How often the job looks for due work (default 1 s; 0 = only when kicked, tests call `job.tick()`). */
  intervalMs?: number;
  batchSize?: number;
  /** Sender address of stores that set none (default `no-reply@bazaar.localhost`). */
  defaultFrom?: string;
  /** Base of unsubscribe links, `{slug}` = the store (default `http://{slug}.localhost:8080`). */
  linkBase?: string;
  /** Days kept (default: deliveries 180, mailbox 30, handled events 30; longer than the kit's 7-day inbox, so dedupe holds). */
  retentionDays?: Partial<{ deliveries: number; mailbox: number; events: number }>;
}

export interface NotificationDeps extends CoreDeps {
  /** `NOTIFICATION_SECRETS_KEY` (32 bytes); without it a key is derived from the internal secret (embedded profile, tests). */
  secretsKey?: string;
  /** Where the order service answers (order lines and totals for order messages). */
  order?: ServiceTarget;
  /** Where the tenant service answers (the store's name, for stores that set no sender name). */
  tenant?: ServiceTarget;
  /** The platform's providers; none (the embedded profile) sends every channel to the dev mailbox. */
  transports?: PlatformTransports;
  providers?: ProviderOverrides;
  notification?: NotificationOptions;
}

export type NotificationHandle = ServiceHandle & { job: NotificationJob; tenancy: Tenancy; transports: TransportRegistry };

/**
 * The notification service: order, identity and stock events become email, SMS and push messages
 * from per-store templates; a delivery log with retries, dead letters and resend; promotions to
 * shoppers who opted in; the dev mailbox in the embedded profile.
 * `platform.target` (the runner's in-process services) finds the order and tenant services when `deps` names none.
 */
export function createService(deps: NotificationDeps, platform?: { target?: (service: string) => ServiceTarget }): NotificationHandle {
  const core = createServiceCore("notification", deps, new URL("../migrations/tenant", import.meta.url), { access: ACCESS });
  const opts = deps.notification ?? {};
  const clock = deps.clock ?? (() => new Date());
  const settings = new SettingsService(secretsKey(deps.secretsKey, deps.secret));
  const transports = new TransportRegistry(deps.transports ?? {}, deps.providers ?? {}, new MailboxTransport(core.tenancy));
  const orderTarget = deps.order ?? platform?.target?.("order");
  const tenantTarget = deps.tenant ?? platform?.target?.("tenant");
  const defaultFrom = opts.defaultFrom ?? "no-reply@bazaar.localhost";
  const job = new NotificationJob({
    tenancy: core.tenancy,
    settings,
    transports,
    readOrder: orderTarget ? orderReader(createServiceClient({ service: "order", target: orderTarget, secret: deps.secret, timeoutMs: 5_000 })) : undefined,
    storeName: storeNames(tenantTarget ? createServiceClient({ service: "tenant", target: tenantTarget, secret: deps.secret, timeoutMs: 2_000 }) : undefined),
    logger: deps.logger,
    clock,
    retry: { ...DEFAULT_RETRY, ...opts.retry },
    leaseMs: opts.leaseMs ?? 60_000,
    intervalMs: opts.intervalMs ?? 1_000,
    batchSize: opts.batchSize ?? 50,
    defaultFrom,
    retentionDays: { deliveries: 180, mailbox: 30, events: 30, ...opts.retentionDays },
  });
  const tokens = new UnsubscribeTokens(deps.secret);
  const promotions = new PromotionsService({ settings, tokens, linkBase: opts.linkBase ?? "http://{slug}.localhost:8080", defaultFrom, clock });
  const kick = () => job.kick();
  core.app.route("/", settingsRoutes({ tenancy: core.tenancy, settings }));
  core.app.route("/", templateRoutes({ tenancy: core.tenancy, settings }));
  core.app.route("/", deliveryRoutes({ tenancy: core.tenancy, clock, kick }));
  core.app.route("/", pushRoutes({ tenancy: core.tenancy, settings }));
  core.app.route("/", promotionRoutes({ tenancy: core.tenancy, promotions, tokens, kick }));
  const handle = core.handle({
    handlers: intakeHandlers(kick),
    onStart: async () => job.start(),
    onStop: () => job.stop(),
  });
  return Object.assign(handle, { job, tenancy: core.tenancy, transports });
}
