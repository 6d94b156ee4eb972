import type { IdentityContext } from "@bazaar/contracts";
import type { Database } from "@bazaar/service-kit/db";
import { InProcessBus } from "@bazaar/service-kit/events";
import { createId } from "@bazaar/service-kit/ids";
import { internalHeaders, signTenantHeaders } from "@bazaar/service-kit/tenancy";
import { freshDatabase, silentLogger, TEST_SECRET } from "@bazaar/service-kit/testing";
import type { ServiceHandle } from "@bazaar/service-kit/service";
import { createService, type CatalogDeps } from "../../src/app.ts";

export interface Store {
  tenantId: string;
  slug: string;
}

export interface CatalogHarness {
  service: ServiceHandle;
  database: Database;
  bus: InProcessBus;
  provision(slug: string): Promise<Store>;
  /** Call a route as the store's owner (or as `roles`; `null` = anonymous), JSON in and out. */
  call<T = unknown>(store: Store, method: string, path: string, body?: unknown, roles?: IdentityContext["roles"] | null): Promise<{ status: number; body: T; headers: Headers }>;
  stop(): Promise<void>;
}

/** The catalog service alone on a fresh database, called the way the gateway calls it. */
export async function startCatalog(overrides: Partial<CatalogDeps> = {}): Promise<CatalogHarness> {
  const database = await freshDatabase("catalog");
  const bus = new InProcessBus();
  const service = createService({ logger: silentLogger(), database, bus, secret: TEST_SECRET, relay: { pollMs: 50 }, ...overrides });
  await service.start();
  return {
    service,
    database,
    bus,
    async provision(slug) {
      const tenantId = createId("tenant");
      const res = await service.app.request("/internal/tenants/provision", {
        method: "POST",
        headers: { ...internalHeaders(TEST_SECRET), "content-type": "application/json" },
        body: JSON.stringify({ tenantId, slug }),
      });
      if (res.status !== 200) throw new Error(`provisioning failed: ${res.status} ${await res.text()}`);
      return { tenantId, slug };
    },
    async call(store, method, path, body, roles = ["owner"]) {
      const identity = roles ? { sub: "acc_test", realm: store.slug, roles } : undefined;
      const res = await service.app.request(path, {
        method,
        headers: {
          ...signTenantHeaders(TEST_SECRET, store, identity as IdentityContext | undefined),
          ...(body !== undefined ? { "content-type": typeof body === "string" ? "text/csv" : "application/json" } : {}),
        },
        ...(body !== undefined ? { body: typeof body === "string" ? body : JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        // not JSON
      }
      return { status: res.status, body: parsed as never, headers: res.headers };
    },
    async stop() {
      await service.stop();
      await bus.close();
      await database.close();
    },
  };
}
