import { fileURLToPath } from "node:url";
import { accessControl, annotateOpenApi, type AccessTable } from "../access/index.ts";
import type { Database } from "../db/index.ts";
import type { EventBus, Subscription } from "../events/bus.ts";
import { OutboxRelay, type RelayOptions } from "../events/outbox.ts";
import { startConsumer, type EventHandler } from "../events/consumer.ts";
import { createHttpApp, type ServiceApp } from "../http/app.ts";
import type { Logger } from "../logging/index.ts";
import { loadMigrations } from "../tenancy/migrations.ts";
import { provisioningRoutes } from "../tenancy/routes.ts";
import { requireContext } from "../tenancy/context.ts";
import { Tenancy, type TenancyOptions } from "../tenancy/tenancy.ts";

/** What every tenant-holding service is built from; a service adds its own fields. */
export interface CoreDeps {
  logger: Logger;
  /** The service's own database (tenant schemas live here unless placed elsewhere). */
  database: Database;
  bus: EventBus;
  /** Shared secret for the gateway's signed headers and internal calls. */
  secret: string;
  clock?: () => Date;
  relay?: Pick<RelayOptions, "pollMs" | "afterPublish" | "batchSize">;
}

/** A running-or-runnable service, the same shape for every service (ARCHITECTURE.md, two profiles). */
export interface ServiceHandle {
  name: string;
  app: ServiceApp;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface ServiceCore {
  name: string;
  app: ServiceApp;
  tenancy: Tenancy;
  relay: OutboxRelay;
  /** Finish the service: handlers become its consumer group `<name>`. */
  handle(opts?: { handlers?: EventHandler[]; onStart?: () => Promise<void>; onStop?: () => Promise<void> }): ServiceHandle;
}

/**
 * The shared skeleton of a tenant-holding service: tenancy with its migrations, the base HTTP app
 * with internal provisioning routes, the outbox relay and a consumer group.
 * @example const core = createServiceCore("catalog", deps, new URL("../migrations/tenant", import.meta.url))
 */
export function createServiceCore(
  name: string,
  deps: CoreDeps,
  migrationsDir: URL,
  opts: {
    afterProvision?: TenancyOptions["afterProvision"];
    /** Who may call each `/api/*` route; the gateway's signed context is verified first. */
    access?: AccessTable;
    /** Whether every `/api/*` route belongs to a store (default true). */
    storeRoutes?: boolean;
    /** Routes that stream their request body (see `HttpAppOptions.streamedBodyPaths`). */
    streamedBodyPaths?: string[];
  } = {},
): ServiceCore {
  const tenancy = new Tenancy({
    service: name,
    database: deps.database,
    migrations: loadMigrations(fileURLToPath(migrationsDir)),
    logger: deps.logger,
    ...(opts.afterProvision ? { afterProvision: opts.afterProvision } : {}),
  });
  let draining = false;
  const app = createHttpApp({
    service: name,
    logger: deps.logger,
    ...(opts.streamedBodyPaths ? { streamedBodyPaths: opts.streamedBodyPaths } : {}),
    ready: async () => {
      if (draining) return false;
      try {
        await deps.database.sql`select 1`;
        return true;
      } catch {
        return false;
      }
    },
  });
  app.route("/", provisioningRoutes(tenancy, { secret: deps.secret }));
  const info = { title: `Bazaar ${name} service`, version: "1" };
  app.get("/openapi.json", (c) => {
    const doc = app.getOpenAPI31Document({ openapi: "3.1.0", info });
    return c.json(opts.access ? annotateOpenApi(doc as never, opts.access) : doc);
  });
  if (opts.access) {
    app.use("/api/*", requireContext({ secret: deps.secret, tenant: opts.storeRoutes ?? true }));
    app.use("/api/*", accessControl(opts.access));
  }
  const relay = new OutboxRelay({ databases: () => tenancy.databases(), bus: deps.bus, logger: deps.logger, ...deps.relay });

  return {
    name,
    app,
    tenancy,
    relay,
    handle(opts = {}) {
      let sub: Subscription | undefined;
      return {
        name,
        app,
        async start() {
          await tenancy.init();
          await tenancy.openPlacements();
          if (opts.handlers?.length) {
            sub = await startConsumer({ bus: deps.bus, group: name, handlers: opts.handlers, tenancy, logger: deps.logger });
          }
          await relay.start();
          await opts.onStart?.();
        },
        async stop() {
          draining = true;
          await opts.onStop?.();
          await relay.stop();
          await sub?.stop();
          await tenancy.close();
        },
      };
    },
  };
}
