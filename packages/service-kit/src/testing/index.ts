import { inject } from "vitest";
import { createDatabase, ensureDatabase, databaseUrlWithName, type Database } from "../db/index.ts";
import { createLogger } from "../logging/index.ts";
import { createId } from "../ids/index.ts";
import type { IdentityContext } from "@bazaar/contracts";
import { internalHeaders, signTenantHeaders } from "../tenancy/context.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** Set by tooling/vitest/global-setup.ts for every test run. */
    databaseServerUrl: string;
    /** Tag of this test run; every database a test creates starts with `test_<runTag>_`. */
    runTag: string;
    /** Kafka-protocol brokers for the Kafka adapter's tests; empty when none runs. */
    kafkaBrokers: string;
  }
}

/** The Postgres server the test run uses: this machine's (TEST_DATABASE_URL) or an embedded one. */
export function testServerUrl(): string {
  const url = inject("databaseServerUrl");
  if (!url) throw new Error("no databaseServerUrl: run tests through the workspace vitest config");
  return url;
}

/** A database name owned by this test run (dropped by the global teardown). */
export function testDatabaseName(prefix: string): string {
  return `test_${inject("runTag")}_${prefix}_${createId("request").slice(-10)}`.toLowerCase().replace(/[^a-z0-9_]/g, "_").slice(0, 63);
}

/** A fresh database for one test file, so files never see each other's rows. */
export async function freshDatabase(prefix: string): Promise<Database> {
  const name = testDatabaseName(prefix);
  const server = testServerUrl();
  await ensureDatabase(server, name);
  return createDatabase(databaseUrlWithName(server, name), { max: 10 });
}

export const silentLogger = () => createLogger({ service: "test", level: process.env.TEST_LOG_LEVEL ?? "silent" });

export const TEST_SECRET = "test-internal-secret-0123456789";

/** Poll until `fn` returns truthy (events are asynchronous); fails with `what` after `ms`. */
export async function eventually<T>(fn: () => Promise<T | undefined | false> | T | undefined | false, what: string, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export interface TestStore {
  tenantId: string;
  slug: string;
}

export type Answer<T = unknown> = { status: number; body: T; headers: Headers };

/** A response as tests read it: status, JSON body (or the text when it is not JSON), headers. */
export async function readAnswer<T>(res: Response): Promise<Answer<T>> {
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON
  }
  return { status: res.status, body: body as T, headers: res.headers };
}

type Requestable = { request(path: string, init?: RequestInit): Response | Promise<Response> };

/**
 * Call one service alone the way the platform does: provision a store through the internal route,
 * call store routes with the gateway's signed context (as `roles`, `null` = anonymous), and internal
 * routes as another service would.
 * @example const t = testCaller(service.app); const store = await t.provision("acme"); await t.call(store, "GET", "/api/v1/products")
 */
export function testCaller(app: Requestable, opts: { secret?: string } = {}) {
  const secret = opts.secret ?? TEST_SECRET;
  const init = (method: string, headers: Record<string, string>, body: unknown, contentType?: string): RequestInit => ({
    method,
    headers: { ...headers, ...(body !== undefined ? { "content-type": contentType ?? (typeof body === "string" ? "text/plain" : "application/json") } : {}) },
    ...(body !== undefined ? { body: typeof body === "string" ? body : JSON.stringify(body) } : {}),
  });
  return {
    async provision(slug: string): Promise<TestStore> {
      const tenantId = createId("tenant");
      const res = await app.request("/internal/tenants/provision", init("POST", internalHeaders(secret), { tenantId, slug }));
      if (res.status !== 200) throw new Error(`provisioning failed: ${res.status} ${await res.text()}`);
      return { tenantId, slug };
    },
    async call<T = unknown>(
      store: TestStore,
      method: string,
      path: string,
      body?: unknown,
      roles: IdentityContext["roles"] | null = ["owner"],
      extra: { sub?: string; contentType?: string } = {},
    ): Promise<Answer<T>> {
      const identity = roles ? { sub: extra.sub ?? "acc_test", realm: store.slug, roles } : undefined;
      return readAnswer(await app.request(path, init(method, signTenantHeaders(secret, store, identity), body, extra.contentType)));
    },
    async internal<T = unknown>(store: TestStore, method: string, path: string, body?: unknown): Promise<Answer<T>> {
      return readAnswer(await app.request(path, init(method, { ...internalHeaders(secret), ...signTenantHeaders(secret, store) }, body)));
    },
  };
}
