import { createService as createGateway } from "@bazaar/gateway";
import { createService as createTenant } from "@bazaar/tenant";
import { createService as createIdentity, type IdentityDeps } from "@bazaar/identity";
import { createService as createCatalog } from "@bazaar/catalog";
import { createService as createCart, type CartOptions } from "@bazaar/cart";
import { createService as createOrder } from "@bazaar/order";
import { createService as createPayment } from "@bazaar/payment";
import { createService as createInventory } from "@bazaar/inventory";
import { createService as createNotification } from "@bazaar/notification";
import { createService as createRecommendation } from "@bazaar/recommendation";
import { createServiceClient, provisioningClient } from "@bazaar/service-kit/clients";
import { createDatabase, databaseUrlWithName, ensureDatabase, type Database } from "@bazaar/service-kit/db";
import type { EventBus } from "@bazaar/service-kit/events";
import type { Logger } from "@bazaar/service-kit/logging";
import type { CoreDeps, ServiceHandle } from "@bazaar/service-kit/service";
import type { Redis } from "ioredis";
import RedisMock from "ioredis-mock";
import type { ServiceTarget } from "@bazaar/service-kit/clients";
import type { LimitRule } from "@bazaar/gateway/rate-limit";
import { StoreInfo } from "@bazaar/contracts";
import { databaseName, PROVISIONED } from "./topology.ts";

/** What some services get besides their core deps: the shared Redis, and other services in this process. */
interface Shared {
  redis: Redis;
  target: (service: string) => ServiceTarget;
  cart?: CartOptions;
}

const FACTORIES: Record<(typeof PROVISIONED)[number], (deps: CoreDeps, shared: Shared) => ServiceHandle> = {
  identity: createIdentity,
  // ELASTICSEARCH_URL in the runner's environment switches the catalog's search to Elasticsearch.
  catalog: (deps) => createCatalog({ ...deps, env: { ...process.env } }),
  cart: (deps, shared) => createCart({ ...deps, redis: shared.redis, catalog: shared.target("catalog"), ...(shared.cart ? { cart: shared.cart } : {}) }),
  order: (deps, shared) => createOrder({ ...deps, cart: shared.target("cart"), inventory: shared.target("inventory"), payment: shared.target("payment") }),
  payment: createPayment,
  inventory: createInventory,
  notification: createNotification,
  recommendation: createRecommendation,
};

export interface PlatformOptions {
  /** A Postgres server URL; each service gets its own database on it. */
  serverUrl: string;
  bus: EventBus;
  logger: Logger;
  secret: string;
  adminToken: string;
  storeDomain?: string;
  poolMax?: number;
  /** Per-service database overrides (`DATABASE_URL_CATALOG`, ...). */
  databaseUrls?: Partial<Record<string, string>>;
  /** Redis for carts (real or emulated; default: a fresh emulation). */
  redis?: Redis;
  /** Cart service options (key prefix, limits, expiry). */
  cart?: CartOptions;
  /** Rate limits at the gateway, counted in this Redis (real or emulated). */
  rateLimit?: { redis: Pick<Redis, "pipeline">; rules: LimitRule[] };
  publicUrl?: string;
  keycloakUrl?: string;
  /** Browser origins besides `*.localhost` that may call the gateway. */
  corsOrigins?: string[];
  /** Keycloak admin credentials: each store's realm is then created in Keycloak too. */
  keycloakAdmin?: { user: string; password: string };
  /** Ports of the apps, for the identity provider's allowed redirect URIs. */
  storefrontPort?: number;
  adminPort?: number;
  /** Tests swap a service for a broken one to prove failure reporting. */
  override?: Partial<Record<string, (deps: CoreDeps) => ServiceHandle>>;
}

export interface Platform {
  gateway: ServiceHandle;
  services: Record<string, ServiceHandle>;
  databases: Record<string, Database>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Every service in this process, calling each other in-process (embedded profile topology). */
export async function createPlatform(opts: PlatformOptions): Promise<Platform> {
  const names = ["tenant", ...PROVISIONED];
  const databases: Record<string, Database> = {};
  await Promise.all(
    names.map(async (name) => {
      const url = opts.databaseUrls?.[name] ?? databaseUrlWithName(opts.serverUrl, databaseName(name));
      await ensureDatabase(databaseUrlWithName(url, "postgres"), new URL(url).pathname.slice(1));
      databases[name] = createDatabase(url, { max: opts.poolMax ?? 10 });
    }),
  );
  const core = (name: string): CoreDeps => ({
    logger: opts.logger.child({ service: name }),
    database: databases[name]!,
    bus: opts.bus,
    secret: opts.secret,
  });
  const services: Record<string, ServiceHandle> = {};
  const storefrontPort = opts.storefrontPort ?? 3000;
  // The tenant service is created after identity: its client is built on the first page view.
  let tenantClient: ReturnType<typeof createServiceClient> | undefined;
  const identityDeps: IdentityDeps = {
    ...core("identity"),
    publicUrl: opts.publicUrl ?? "http://localhost:8080",
    storefrontOrigins: [`http://{slug}.${opts.storeDomain ?? "localhost"}:${storefrontPort}`],
    adminOrigins: [`http://localhost:${opts.adminPort ?? 3001}`, `http://127.0.0.1:${opts.adminPort ?? 3001}`],
    ...(opts.keycloakUrl && opts.keycloakAdmin
      ? { keycloak: { url: opts.keycloakUrl, adminUser: opts.keycloakAdmin.user, adminPassword: opts.keycloakAdmin.password } }
      : {}),
    storeInfo: async (tenant) => {
      tenantClient ??= createServiceClient({ service: "tenant", target: { app: services.tenant!.app }, secret: opts.secret, timeoutMs: 2_000 });
      const store = await tenantClient.call("/api/v1/store", { tenant, schema: StoreInfo });
      return { name: store.name, theme: store.theme };
    },
  };
  // Services call each other in-process; looked up per call, so creation order does not matter.
  const shared: Shared = {
    redis: opts.redis ?? (new RedisMock() as unknown as Redis),
    target: (service) => ({ app: { fetch: (req: Request) => services[service]!.app.fetch(req) } }),
    ...(opts.cart ? { cart: opts.cart } : {}),
  };
  for (const name of PROVISIONED) {
    const override = opts.override?.[name];
    services[name] = override ? override(core(name)) : name === "identity" ? createIdentity(identityDeps) : FACTORIES[name](core(name), shared);
  }
  services.tenant = createTenant({
    ...core("tenant"),
    storeDomain: opts.storeDomain ?? "localhost",
    services: PROVISIONED.map((name) => provisioningClient(createServiceClient({ service: name, target: { app: services[name]!.app }, secret: opts.secret }))),
  });
  const gateway = createGateway({
    logger: opts.logger.child({ service: "gateway" }),
    bus: opts.bus,
    ...(opts.rateLimit ? { rateLimit: opts.rateLimit } : {}),
    ...(opts.publicUrl ? { publicUrl: opts.publicUrl } : {}),
    ...(opts.corsOrigins ? { corsOrigins: opts.corsOrigins } : {}),
    ...(opts.keycloakUrl ? { keycloakUrl: opts.keycloakUrl } : {}),
    secret: opts.secret,
    adminToken: opts.adminToken,
    storeDomains: [opts.storeDomain ?? "localhost"],
    services: Object.fromEntries(Object.entries(services).map(([n, s]) => [n, { app: s.app }])),
  });
  return {
    gateway,
    services,
    databases,
    async start() {
      await Promise.all(Object.values(services).map((s) => s.start()));
      await gateway.start();
    },
    async stop() {
      await gateway.stop();
      await Promise.all(Object.values(services).map((s) => s.stop()));
      await Promise.all(Object.values(databases).map((d) => d.close()));
    },
  };
}
