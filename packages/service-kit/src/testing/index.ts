import { inject } from "vitest";
import { createDatabase, ensureDatabase, databaseUrlWithName, type Database } from "../db/index.ts";
import { createLogger } from "../logging/index.ts";
import { createId } from "../ids/index.ts";

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
