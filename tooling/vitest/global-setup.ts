import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import type { TestProject } from "vitest/node";
import "../../packages/service-kit/src/testing/index.ts";
import { startEmbeddedPostgres, type EmbeddedServer } from "../../packages/service-kit/src/db/embedded.ts";

let embedded: EmbeddedServer | undefined;
let serverUrl: string | undefined;
const runTag = `r${Date.now().toString(36)}${Math.floor(Math.random() * 1e4).toString(36)}`;
let dir: string | undefined;

export async function setup(project: TestProject) {
  let url = process.env.TEST_DATABASE_URL;
  if (!url) {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "bazaar-test-pg-"));
    fs.chmodSync(dir, 0o755); // the server runs as the `postgres` user when we are root
    embedded = await startEmbeddedPostgres({ dir: path.join(dir, "data") });
    url = embedded.url;
    console.log(`[tests] embedded Postgres at ${url.replace(/:[^:@/]+@/, ":***@")} (set TEST_DATABASE_URL to use a real server)`);
  } else {
    console.log(`[tests] Postgres from TEST_DATABASE_URL`);
  }
  serverUrl = url;
  project.provide("databaseServerUrl", url);
  project.provide("runTag", runTag);
  project.provide("kafkaBrokers", process.env.TEST_KAFKA_BROKERS ?? "");
}

export async function teardown() {
  // On a shared server, drop the databases this run created (an embedded one is simply removed).
  if (serverUrl && !embedded) {
    const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
    try {
      const rows = await admin<{ datname: string }[]>`select datname from pg_database where datname like ${`test_${runTag}_%`}`;
      for (const r of rows) await admin.unsafe(`drop database if exists "${r.datname}" with (force)`);
    } finally {
      await admin.end();
    }
  }
  await embedded?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}
