import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DEMO_STORES, demoCatalogOf } from "../../src/seed.ts";
import { ROOT } from "../../src/start.ts";

const TOKEN = "crash-test-admin-token-0123";

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Start the real platform (`pnpm start`'s entry) as its own process group; resolves when it says it is ready. */
function startPlatform(env: Record<string, string>): Promise<ChildProcess> {
  const cleanEnv = { ...process.env };
  delete cleanEnv.DATABASE_URL;
  delete cleanEnv.KAFKA_BROKERS;
  const child = spawn(path.join(ROOT, "node_modules/.bin/tsx"), ["infra/runner/src/cli.ts", "start"], {
    cwd: ROOT,
    env: { ...cleanEnv, BAZAAR_APPS: "false", BAZAAR_ADMIN_TOKEN: TOKEN, ...env },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`platform not ready in 90 s:\n${out}`)), 90_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      if (out.includes("Bazaar is running")) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`platform exited (${code}) before ready:\n${out}`));
    });
  });
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    try {
      process.kill(-child.pid!, signal);
    } catch {
      resolve();
    }
  });
}

describe("crash safety of the embedded profile", () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bazaar-crash-"));
  fs.chmodSync(dataDir, 0o755);
  let running: ChildProcess | undefined;
  afterAll(async () => {
    if (running) await killGroup(running, "SIGINT");
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("killing the platform mid-write and starting it again loses no committed data", async () => {
    const env = {
      BAZAAR_DATA_DIR: path.join(dataDir, "data"),
      GATEWAY_PORT: String(await freePort()),
      EMBEDDED_PG_PORT: String(await freePort()),
    };
    const gateway = `http://127.0.0.1:${env.GATEWAY_PORT}`;
    running = await startPlatform(env);

    // Writers keep creating products; every 201 is a commit the platform acknowledged.
    const acknowledged: string[] = [];
    let stop = false;
    const writer = async (w: number) => {
      for (let i = 0; !stop; i++) {
        try {
          const res = await fetch(`${gateway}/api/v1/admin/products`, {
            method: "POST",
            headers: { authorization: `Bearer ${TOKEN}`, "x-tenant": "volt", "content-type": "application/json" },
            body: JSON.stringify({ name: `Crash ${w}-${i}`, price: 100 + i, currency: "EUR" }),
          });
          if (res.status === 201) acknowledged.push(((await res.json()) as { id: string }).id);
        } catch {
          return; // the platform is gone
        }
      }
    };
    const writers = [0, 1, 2, 3].map(writer);
    while (acknowledged.length < 40) await new Promise((r) => setTimeout(r, 20));
    // SIGKILL the runner's process group and its Postgres (which runs in a group of its own) while
    // writes are in flight: nothing gets to shut down cleanly.
    const pidFile = path.join(env.BAZAAR_DATA_DIR, "pg", "postmaster.pid");
    const postmaster = Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]);
    await killGroup(running, "SIGKILL");
    process.kill(postmaster, "SIGKILL");
    stop = true;
    await Promise.all(writers);
    running = undefined;

    running = await startPlatform(env);
    const missing: string[] = [];
    for (const id of acknowledged) {
      const res = await fetch(`${gateway}/api/v1/products/${id}`, { headers: { "x-tenant": "volt" } });
      if (res.status !== 200) missing.push(`${id}: ${res.status}`);
    }
    expect(acknowledged.length).toBeGreaterThanOrEqual(40);
    expect(missing).toEqual([]);
    // The seed ran once: a restart does not seed the demo catalog again.
    const seeded = demoCatalogOf(DEMO_STORES[1]).products.length;
    const all = (await (await fetch(`${gateway}/api/v1/admin/products/search?limit=1&facets=false`, { headers: { authorization: `Bearer ${TOKEN}`, "x-tenant": "volt" } })).json()) as { total: number };
    expect(all.total).toBeGreaterThanOrEqual(seeded + acknowledged.length);
    expect(all.total).toBeLessThan(2 * seeded);
    await killGroup(running, "SIGINT");
    running = undefined;
  });
});
