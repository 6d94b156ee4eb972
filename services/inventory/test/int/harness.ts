import { sql } from "drizzle-orm";
import type { IdentityContext } from "@bazaar/contracts";
import type { Database } from "@bazaar/service-kit/db";
import { InProcessBus } from "@bazaar/service-kit/events";
import { schemaForTenant } from "@bazaar/service-kit/tenancy";
import { freshDatabase, silentLogger, testCaller, TEST_SECRET, type Answer, type TestStore } from "@bazaar/service-kit/testing";
import { createService, type InventoryDeps, type InventoryHandle } from "../../src/app.ts";

export type Store = TestStore;

export interface InventoryHarness {
  service: InventoryHandle;
  database: Database;
  bus: InProcessBus;
  provision(slug: string): Promise<Store>;
  /** Call a merchant route as `roles` (default owner; `null` = anonymous), the way the gateway does. */
  call<T = unknown>(store: Store, method: string, path: string, body?: unknown, roles?: IdentityContext["roles"] | null): Promise<Answer<T>>;
  /** Call an `/internal/inventory/*` route the way another service does. */
  internal<T = unknown>(store: Store, method: string, path: string, body?: unknown): Promise<Answer<T>>;
  /** Outbox events of a store, oldest first. */
  events(store: Store, type?: string): Promise<{ type: string; aggregateId: string; data: Record<string, unknown> }[]>;
  level(store: Store, sku: string, location?: string): Promise<{ on_hand: number; reserved: number } | undefined>;
  stop(): Promise<void>;
}

/** The inventory service alone on a fresh database, called the way the gateway and the order service call it. */
export async function startInventory(overrides: Partial<InventoryDeps> = {}): Promise<InventoryHarness> {
  const database = await freshDatabase("inventory");
  const bus = new InProcessBus();
  const service = createService({ logger: silentLogger(), database, bus, secret: TEST_SECRET, relay: { pollMs: 50 }, inventory: { expiryIntervalMs: 0 }, ...overrides });
  await service.start();
  const t = testCaller(service.app);
  return {
    service,
    database,
    bus,
    provision: t.provision,
    call: (store, method, path, body, roles = ["owner"]) => t.call(store, method, path, body, roles, { sub: `acc_${roles?.[0] ?? "none"}` }),
    internal: t.internal,
    async events(store, type) {
      const rows = await database.db.execute<{ envelope: { type: string; aggregateId: string; data: Record<string, unknown> } }>(sql`
        select envelope from public.bazaar_outbox where tenant_id = ${store.tenantId} ${type ? sql`and type = ${type}` : sql``} order by seq`);
      return [...rows].map((r) => r.envelope);
    },
    async level(store, sku, location = "default") {
      const rows = await database.db.execute<{ on_hand: number; reserved: number }>(
        sql`select on_hand, reserved from ${sql.raw(`"${schemaForTenant(store.tenantId)}"`)}.stock_levels where sku = ${sku} and location = ${location}`,
      );
      return rows[0];
    },
    async stop() {
      await service.stop();
      await bus.close();
      await database.close();
    },
  };
}
