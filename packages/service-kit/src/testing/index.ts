import { inject } from "vitest";
import { createDatabase, ensureDatabase, databaseUrlWithName, type Database } from "../db/index.ts";
import { createLogger } from "../logging/index.ts";
import { createId } from "../ids/index.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** Set by tooling/vitest/global-setup.ts for every test run. */
    databaseServerUrl: string;
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

/** A fresh database for one test file, so files never see each other's rows. */
export async function freshDatabase(prefix: string): Promise<Database> {
  const name = `test_${prefix}_${createId("request").slice(4, 20)}`.toLowerCase().replace(/[^a-z0-9_]/g, "_");
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
