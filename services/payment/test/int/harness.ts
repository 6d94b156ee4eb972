import type { IdentityContext } from "@bazaar/contracts";
import type { Database } from "@bazaar/service-kit/db";
import { InProcessBus } from "@bazaar/service-kit/events";
import { createId } from "@bazaar/service-kit/ids";
import { internalHeaders, signTenantHeaders } from "@bazaar/service-kit/tenancy";
import { freshDatabase, silentLogger, TEST_SECRET } from "@bazaar/service-kit/testing";
import { createService, type PaymentDeps, type PaymentHandle } from "../../src/app.ts";

export interface Store {
  tenantId: string;
  slug: string;
}

type Reply<T> = { status: number; body: T; headers: Headers };

export interface PaymentHarness {
  service: PaymentHandle;
  database: Database;
  bus: InProcessBus;
  provision(slug: string): Promise<Store>;
  /** A merchant route, as the gateway calls it (owner by default; `null` = anonymous). */
  call<T = unknown>(store: Store, method: string, path: string, body?: unknown, roles?: IdentityContext["roles"] | null): Promise<Reply<T>>;
  /** An internal route, as the order service calls it. */
  internal<T = unknown>(store: Store, path: string, body: unknown): Promise<Reply<T>>;
  /** A provider's webhook: raw body and headers, no gateway context. */
  webhook<T = unknown>(path: string, rawBody: string, headers: Record<string, string>): Promise<Reply<T>>;
  stop(): Promise<void>;
}

async function reply<T>(res: Response): Promise<Reply<T>> {
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON
  }
  return { status: res.status, body: parsed as T, headers: res.headers };
}

/** The payment service alone on a fresh database. */
export async function startPayment(overrides: Partial<PaymentDeps> = {}): Promise<PaymentHarness> {
  const database = await freshDatabase("payment");
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
        headers: { ...signTenantHeaders(TEST_SECRET, store, identity as IdentityContext | undefined), ...(body !== undefined ? { "content-type": "application/json" } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      return reply(res);
    },
    async internal(store, path, body) {
      const res = await service.app.request(path, {
        method: "POST",
        headers: { ...internalHeaders(TEST_SECRET), ...signTenantHeaders(TEST_SECRET, store), "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      return reply(res);
    },
    async webhook(path, rawBody, headers) {
      return reply(await service.app.request(path, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: rawBody }));
    },
    async stop() {
      await service.stop();
      await bus.close();
      await database.close();
    },
  };
}
