/**
 * Cart targets (issue 5), through the gateway, on the real Redis, 50 connections:
 *   - add to cart (POST /api/v1/carts/{id}/items)   target p99 <= 10 ms and >= 3,000 req/s
 *   - cart read (GET /api/v1/carts/{id}, priced)     target p99 <= 5 ms
 *
 * Usage: pnpm bench:cart [--connections 50] [--duration 10] [--carts 2000] [--products 50] [--only add|cart read]
 *                        [--redis redis://127.0.0.1:6379] [--database postgres://postgres@127.0.0.1:5432/postgres]
 *
 * The platform runs in a child process (`--serve`) so autocannon (in this process) does not share its
 * event loop. It gets databases of its own on the Postgres server (`bench_cart_<run>_<service>`) and a
 * Redis key prefix of its own (`bench-cart-<run>`), all removed at the end. Each request of the add
 * run adds one unit of a random SKU to the next of `--carts` guest carts (round robin, so no cart
 * reaches its limits); the read run reads the same carts, each priced from the catalog (whose answers
 * the cart service keeps until a catalog event or 10 s). Results are printed and written to
 * infra/bench/results/cart.json.
 */
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { ADMIN, autocannon, benchLog, inParallel, pct, postgres, Redis, ROOT, round, SERVICES, spawnPlatform, servePlatform } from "./lib.ts";

const SELF = fileURLToPath(import.meta.url);
const TARGETS = { addP99Ms: 10, addRps: 3_000, readP99Ms: 5 } as const;

const { values } = parseArgs({
  options: {
    serve: { type: "boolean", default: false },
    port: { type: "string", default: "18091" },
    prefix: { type: "string", default: "" },
    connections: { type: "string", default: "50" },
    duration: { type: "string", default: "10" },
    carts: { type: "string", default: "2000" },
    products: { type: "string", default: "50" },
    redis: { type: "string", default: process.env.REDIS_URL ?? "redis://127.0.0.1:6379" },
    database: { type: "string", default: process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres" },
    /** Run only one load: `add` or `read`. */
    only: { type: "string" },
    /** Write a V8 CPU profile of the platform process into this directory. */
    profile: { type: "string" },
  },
});

const log = benchLog("bench:cart");

// ioredis: a dependency of the runner (infra/bench is not a workspace package).

interface LoadResult {
  label: string;
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
}
interface Shot {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}


/** autocannon over a generator of requests; latencies recorded per 2xx response at sub-ms precision. */
function load(label: string, base: string, next: () => Shot, o: { connections: number; durationS: number }): Promise<LoadResult> {
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const inst = autocannon(
      {
        url: base,
        connections: o.connections,
        duration: o.durationS,
        requests: [{ setupRequest: (r: Record<string, unknown>) => ({ ...r, ...next() }) }],
      },
      (err, r) => {
        if (err) return reject(err);
        const sorted = Float64Array.from(latencies).sort();
        resolve({ label, rps: round(r.requests.average, 0), p50: round(pct(sorted, 50)), p99: round(pct(sorted, 99)), requests: r.requests.total, non2xx: r.non2xx, errors: r.errors });
      },
    );
    inst.on("response", (_c, status, _b, ms) => {
      if (status >= 200 && status < 300) latencies.push(ms);
    });
  });
}

async function api(base: string, p: string, init: { method?: string; body?: unknown; admin?: boolean; headers?: Record<string, string> } = {}): Promise<{ status: number; body: unknown }> {
  const res = await fetch(base + p, {
    method: init.method ?? "GET",
    headers: { "x-tenant": "bench", "content-type": "application/json", ...(init.admin ? { authorization: `Bearer ${ADMIN}` } : {}), ...init.headers },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}


async function drive(): Promise<number> {
  const connections = Number(values.connections);
  const durationS = Number(values.duration);
  const cartCount = Number(values.carts);
  const productCount = Number(values.products);
  const run = Date.now().toString(36);
  const prefix = `bench_cart_${run}`;
  const keyPrefix = `bench-cart-${run}`;
  const port = Number(values.port);
  const base = `http://127.0.0.1:${port}`;
  const admin = postgres(values.database, { max: 1, onnotice: () => undefined });
  const redis = new Redis(values.redis, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await admin`select 1`;
    await redis.connect();
  } catch (err) {
    log(`needs PostgreSQL (${values.database.replace(/\/\/[^@]*@/, "//***@")}) and Redis (${values.redis}): ${(err as Error).message}`);
    redis.disconnect();
    await admin.end();
    return 1;
  }
  let child: ChildProcess | undefined;
  const results: Record<string, unknown> = { connections, durationS, carts: cartCount, products: productCount, redis: "real", cpus: os.cpus().length, loadBefore: os.loadavg().map((n) => round(n)) };
  try {
    log(`platform with databases ${prefix}_*, Redis keys ${keyPrefix}:*, gateway :${port}`);
    child = await spawnPlatform(SELF, ["--port", String(port), "--prefix", prefix, "--database", values.database, "--redis", values.redis], { ...(values.profile ? { profile: values.profile } : {}), env: { ...process.env, BENCH_CART_KEY_PREFIX: keyPrefix } });
    const created = await api(base, "/api/v1/platform/tenants", { method: "POST", admin: true, body: { slug: "bench", name: "Bench", ownerEmail: "o@bench.test", plan: "starter", currency: "USD" } });
    if (created.status !== 201) throw new Error(`store: ${created.status} ${JSON.stringify(created.body)}`);
    log(`${productCount} products, ${cartCount} guest carts...`);
    const skus: string[] = [];
    await inParallel(Array.from({ length: productCount }, (_, i) => i), 8, async (i) => {
      const r = await api(base, "/api/v1/admin/products", { method: "POST", admin: true, body: { name: `Bench item ${i}`, currency: "USD", price: 500 + i * 25, stock: 1_000_000 } });
      if (r.status !== 201) throw new Error(`product ${i}: ${r.status} ${JSON.stringify(r.body)}`);
      skus.push((r.body as { variants: { sku: string }[] }).variants[0]!.sku);
    });
    const carts: { id: string; token: string }[] = [];
    await inParallel(Array.from({ length: cartCount }, (_, i) => i), 16, async () => {
      const r = await api(base, "/api/v1/carts", { method: "POST" });
      if (r.status !== 201) throw new Error(`cart: ${r.status} ${JSON.stringify(r.body)}`);
      carts.push(r.body as { id: string; token: string });
    });

    let n = 0;
    let seed = 42;
    const rand = (k: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % k);
    const add = (): Shot => {
      const cart = carts[n++ % carts.length]!;
      return {
        method: "POST",
        path: `/api/v1/carts/${cart.id}/items`,
        headers: { "x-tenant": "bench", "x-cart-token": cart.token, "content-type": "application/json" },
        body: JSON.stringify({ sku: skus[rand(skus.length)], quantity: 1 }),
      };
    };
    const read = (): Shot => {
      const cart = carts[n++ % carts.length]!;
      return { method: "GET", path: `/api/v1/carts/${cart.id}`, headers: { "x-tenant": "bench", "x-cart-token": cart.token } };
    };
    const out: LoadResult[] = [];
    for (const [label, next] of [["add to cart", add], ["cart read", read]] as const) {
      if (values.only && !label.startsWith(values.only)) continue;
      await load("warm-up", base, next, { connections, durationS: 2 });
      const r = await load(label, base, next, { connections, durationS });
      log(`${r.label}: ${r.rps} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms${r.non2xx ? `, ${r.non2xx} non-2xx` : ""}${r.errors ? `, ${r.errors} errors` : ""}`);
      out.push(r);
    }
    const sample = await api(base, `/api/v1/carts/${carts[0]!.id}`, { headers: { "x-cart-token": carts[0]!.token } });
    results.sampleCart = { lines: (sample.body as { lines: unknown[] }).lines.length, version: (sample.body as { version: number }).version };
    results.runs = out;
    results.loadAfter = os.loadavg().map((x) => round(x));
    fs.mkdirSync(path.join(ROOT, "infra", "bench", "results"), { recursive: true });
    fs.writeFileSync(path.join(ROOT, "infra", "bench", "results", "cart.json"), JSON.stringify(results, null, 2));
    printReport(results);
    return 0;
  } finally {
    if (child && child.exitCode === null) {
      child.kill("SIGTERM");
      await new Promise((r) => child!.once("exit", r));
    }
    let cursor = "0";
    let removed = 0;
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${keyPrefix}:*`, "COUNT", 1000);
      if (keys.length) removed += await redis.del(...keys);
      cursor = next;
    } while (cursor !== "0");
    log(`removed ${removed} Redis keys`);
    redis.disconnect();
    for (const s of SERVICES) await admin.unsafe(`drop database if exists "${prefix}_${s}" with (force)`).catch((e: Error) => log(`drop ${prefix}_${s}: ${e.message}`));
    await admin.end();
  }
}

function printReport(r: Record<string, unknown>): void {
  const out = ["", `cart bench: ${r.carts} carts, ${r.products} SKUs, ${r.connections} connections, ${r.durationS} s per run, real Redis, ${r.cpus} CPUs, load ${JSON.stringify(r.loadBefore)} -> ${JSON.stringify(r.loadAfter)}`];
  for (const x of r.runs as LoadResult[]) {
    const bad = x.non2xx || x.errors ? `   (${x.non2xx} non-2xx, ${x.errors} errors)` : "";
    out.push(`  ${x.label.padEnd(14)} ${String(x.rps).padStart(7)} req/s   p50 ${String(x.p50).padStart(6)} ms   p99 ${String(x.p99).padStart(6)} ms${bad}`);
  }
  out.push(`  targets: add p99 <= ${TARGETS.addP99Ms} ms and >= ${TARGETS.addRps} req/s; read p99 <= ${TARGETS.readP99Ms} ms`);
  process.stdout.write(out.join("\n") + "\n");
}

// ---------------------------------------------------------------------------------------------
// --serve: the platform, in-process topology, carts on the real Redis, gateway on a port.

if (values.serve) {
  await servePlatform({ database: values.database, prefix: values.prefix, redis: values.redis, port: Number(values.port), cartKeyPrefix: process.env.BENCH_CART_KEY_PREFIX ?? "bench-cart", poolMax: 20 });
} else {
  process.exitCode = await drive();
}
