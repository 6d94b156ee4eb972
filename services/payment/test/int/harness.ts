import type { IdentityContext } from "@bazaar/contracts";
import type { Database } from "@bazaar/service-kit/db";
import { InProcessBus } from "@bazaar/service-kit/events";
import { freshDatabase, readAnswer, silentLogger, testCaller, TEST_SECRET, type Answer, type TestStore } from "@bazaar/service-kit/testing";
import { createService, type PaymentDeps, type PaymentHandle } from "../../src/app.ts";

export type Store = TestStore;

type Reply<T> = Answer<T>;

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

/** The payment service alone on a fresh database. */
export async function startPayment(overrides: Partial<PaymentDeps> = {}): Promise<PaymentHarness> {
  const database = await freshDatabase("payment");
  const bus = new InProcessBus();
  const service = createService({ logger: silentLogger(), database, bus, secret: TEST_SECRET, relay: { pollMs: 50 }, ...overrides });
  await service.start();
  const t = testCaller(service.app);
  return {
    service,
    database,
    bus,
    provision: t.provision,
    call: t.call,
    internal: (store, path, body) => t.internal(store, "POST", path, body),
    async webhook(path, rawBody, headers) {
      return readAnswer(await service.app.request(path, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: rawBody }));
    },
    async stop() {
      await service.stop();
      await bus.close();
      await database.close();
    },
  };
}
