import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import "../../packages/service-kit/src/testing/index.ts";
import { startEmbeddedPostgres, type EmbeddedServer } from "../../packages/service-kit/src/db/embedded.ts";

let embedded: EmbeddedServer | undefined;
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
  project.provide("databaseServerUrl", url);
  project.provide("kafkaBrokers", process.env.TEST_KAFKA_BROKERS ?? "");
}

export async function teardown() {
  await embedded?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}
