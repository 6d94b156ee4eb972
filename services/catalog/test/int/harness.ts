import type { IdentityContext } from "@bazaar/contracts";
import type { Database } from "@bazaar/service-kit/db";
import { InProcessBus } from "@bazaar/service-kit/events";
import { freshDatabase, silentLogger, testCaller, TEST_SECRET, type Answer, type TestStore } from "@bazaar/service-kit/testing";
import type { ServiceHandle } from "@bazaar/service-kit/service";
import { createService, type CatalogDeps } from "../../src/app.ts";

export type Store = TestStore;

export interface CatalogHarness {
  service: ServiceHandle;
  database: Database;
  bus: InProcessBus;
  provision(slug: string): Promise<Store>;
  /** Call a route as the store's owner (or as `roles`; `null` = anonymous), JSON in and out; a string body is sent as CSV. */
  call<T = unknown>(store: Store, method: string, path: string, body?: unknown, roles?: IdentityContext["roles"] | null): Promise<Answer<T>>;
  stop(): Promise<void>;
}

/** The catalog service alone on a fresh database, called the way the gateway calls it. */
export async function startCatalog(overrides: Partial<CatalogDeps> = {}): Promise<CatalogHarness> {
  const database = await freshDatabase("catalog");
  const bus = new InProcessBus();
  const service = createService({ logger: silentLogger(), database, bus, secret: TEST_SECRET, relay: { pollMs: 50 }, ...overrides });
  await service.start();
  const t = testCaller(service.app);
  return {
    service,
    database,
    bus,
    provision: t.provision,
    call: (store, method, path, body, roles = ["owner"]) => t.call(store, method, path, body, roles, typeof body === "string" ? { contentType: "text/csv" } : {}),
    async stop() {
      await service.stop();
      await bus.close();
      await database.close();
    },
  };
}
