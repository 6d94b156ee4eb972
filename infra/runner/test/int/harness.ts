import { createDatabase, databaseUrlWithName, ensureDatabase } from "@bazaar/service-kit/db";
import { InProcessBus } from "@bazaar/service-kit/events";
import { TEST_SECRET, silentLogger, testDatabaseName, testServerUrl } from "@bazaar/service-kit/testing";
import { createPlatform, type Platform, type PlatformOptions } from "../../src/platform.ts";
import { PROVISIONED } from "../../src/topology.ts";

export const ADMIN = "test-admin-token-0123456789";

/** The whole platform in this process, each service on a fresh database of the test server. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read bodies loosely and assert on them
export type TestResponse = Omit<Response, "json"> & { json(): Promise<any> };

export async function testPlatform(
  override?: PlatformOptions["override"],
  extra: Pick<PlatformOptions, "redis" | "cart"> = {},
): Promise<Platform & { api: (path: string, init?: RequestInit & { tenant?: string; admin?: boolean }) => Promise<TestResponse>; settle: () => Promise<void> }> {
  const server = testServerUrl();
  const databaseUrls: Record<string, string> = {};
  for (const name of ["tenant", ...PROVISIONED]) {
    const db = testDatabaseName(name);
    await ensureDatabase(server, db);
    databaseUrls[name] = databaseUrlWithName(server, db);
  }
  const bus = new InProcessBus();
  const platform = await createPlatform({
    serverUrl: server,
    databaseUrls,
    bus,
    logger: silentLogger(),
    secret: TEST_SECRET,
    adminToken: ADMIN,
    poolMax: 4,
    ...(override ? { override } : {}),
    ...extra,
  });
  await platform.start();
  const api = async (path: string, init: RequestInit & { tenant?: string; admin?: boolean } = {}): Promise<TestResponse> => {
    const headers = new Headers(init.headers);
    if (init.tenant !== undefined) headers.set("x-tenant", init.tenant);
    if (init.admin) headers.set("authorization", `Bearer ${ADMIN}`);
    if (init.body) headers.set("content-type", "application/json");
    return platform.gateway.app.request(path, { ...init, headers });
  };
  /** Wait until every event written so far is published and handled, and what handlers wrote too. */
  const settle = async (): Promise<void> => {
    for (let quiet = 0; quiet < 2; ) {
      const counts = await Promise.all(Object.values(platform.databases).map((d) => d.sql<{ n: number }[]>`select count(*)::int as n from public.bazaar_outbox where published_at is null`));
      const pending = counts.reduce((sum, [row]) => sum + (row?.n ?? 0), 0);
      await bus.drain();
      quiet = pending === 0 ? quiet + 1 : 0;
      if (pending > 0) await new Promise((r) => setTimeout(r, 10));
    }
  };
  return Object.assign(platform, { api, settle });
}

export { createDatabase };
