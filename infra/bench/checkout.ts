/**
 * Checkout target (issue 6), through the gateway, the built-in test gateway, real Postgres:
 *   - POST /api/v1/checkout end to end (cart read, order, reservation, payment, commit, cart emptied)
 *     target >= 200 orders/s and p99 <= 150 ms
 *
 * Usage: pnpm bench:checkout [--connections 20] [--orders 3000] [--products 50]
 *                            [--redis redis://127.0.0.1:6379] [--database postgres://postgres@127.0.0.1:5432/postgres]
 *
 * The platform runs in a child process (`--serve`, in-process topology, carts on the real Redis under a
 * key prefix of this run, removed at the end) so autocannon (in this process) does not share its event loop. It gets databases of its
 * own on the Postgres server (`bench_checkout_<run>_<service>`), dropped at the end. `--orders` guest
 * carts with one line each are prepared first; each request checks one of them out once, with its own
 * Idempotency-Key and the success test card. Results are printed and written to
 * infra/bench/results/checkout.json. Then one more checkout is recorded statement by statement and
 * replayed with pgbench (infra/bench/pgbench.ts): Postgres's own ceiling for that SQL on this machine,
 * and the platform's throughput as a share of it.
 */
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { ADMIN, autocannon, benchLog, inParallel, pct, postgres, postgresWork, processCpuMs, Redis, ROOT, round, SERVICES, servePlatform, spawnPlatform, type AcResult } from "./lib.ts";
import { ceiling, installCapture, pgbenchScripts, runPgbench, type Captured } from "./pgbench.ts";

const SELF = fileURLToPath(import.meta.url);
const TARGETS = { rps: 200, p99Ms: 150 } as const;
/** The trace id of the recorded checkout: its statements are the ones replayed. */
const TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const ADDRESS = { name: "Bench Shopper", line1: "1 Bench St", city: "Benchville", postalCode: "10001", country: "US" };

const { values } = parseArgs({
  options: {
    serve: { type: "boolean", default: false },
    port: { type: "string", default: "18093" },
    prefix: { type: "string", default: "" },
    connections: { type: "string", default: "20" },
    orders: { type: "string", default: "3000" },
    products: { type: "string", default: "50" },
    redis: { type: "string", default: process.env.REDIS_URL ?? "redis://127.0.0.1:6379" },
    database: { type: "string", default: process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres" },
    /** Seconds each pgbench replay runs (0 skips the replay). */
    "pgbench-seconds": { type: "string", default: "10" },
    /** pgbench clients per database (the platform's pools stay open meanwhile: keep under max_connections). */
    "pgbench-clients": { type: "string", default: "8" },
    /** Write a V8 CPU profile of the platform process into this directory. */
    profile: { type: "string" },
  },
});

const log = benchLog("bench:checkout");


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
  const orderCount = Number(values.orders);
  const productCount = Number(values.products);
  const run = Date.now().toString(36);
  const prefix = `bench_checkout_${run}`;
  const port = Number(values.port);
  const base = `http://127.0.0.1:${port}`;
  const keyPrefix = `bench-checkout-${run}`;
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
  try {
    log(`platform with databases ${prefix}_*, gateway :${port}`);
    const captureFile = path.join(os.tmpdir(), `${prefix}-statements.json`);
    const platformArgs = ["--port", String(port), "--prefix", prefix, "--database", values.database, "--redis", values.redis];
    child = await spawnPlatform(SELF, platformArgs, { ...(values.profile ? { profile: values.profile } : {}), env: { ...process.env, BENCH_CART_KEY_PREFIX: keyPrefix } });
    const created = await api(base, "/api/v1/platform/tenants", { method: "POST", admin: true, body: { slug: "bench", name: "Bench", ownerEmail: "o@bench.test", plan: "starter", currency: "USD" } });
    if (created.status !== 201) throw new Error(`store: ${created.status} ${JSON.stringify(created.body)}`);
    await api(base, "/api/v1/admin/orders/settings", { method: "PUT", admin: true, body: { flatShipping: 499, taxRateBps: 825 } });
    log(`${productCount} products, ${orderCount} guest carts...`);
    const skus: string[] = [];
    await inParallel(Array.from({ length: productCount }, (_, i) => i), 8, async (i) => {
      const r = await api(base, "/api/v1/admin/products", { method: "POST", admin: true, body: { name: `Checkout item ${i}`, currency: "USD", price: 500 + i * 25, stock: 1_000_000 } });
      if (r.status !== 201) throw new Error(`product ${i}: ${r.status} ${JSON.stringify(r.body)}`);
      const sku = (r.body as { variants: { sku: string }[] }).variants[0]!.sku;
      const s = await api(base, `/api/v1/admin/inventory/${sku}`, { method: "PUT", admin: true, body: { onHand: 1_000_000 } });
      if (s.status !== 200) throw new Error(`stock ${sku}: ${s.status}`);
      skus.push(sku);
    });
    const carts: { id: string; token: string }[] = [];
    // Two carts more than the run checks out: one warms the recording platform's caches, the other's checkout is recorded for the pgbench replay.
    await inParallel(Array.from({ length: orderCount + 2 }, (_, i) => i), 16, async (i) => {
      const r = await api(base, "/api/v1/carts", { method: "POST" });
      const cart = r.body as { id: string; token: string };
      const add = await api(base, `/api/v1/carts/${cart.id}/items`, { method: "POST", headers: { "x-cart-token": cart.token }, body: { sku: skus[i % skus.length], quantity: 1 + (i % 3) } });
      if (add.status !== 200) throw new Error(`cart: ${add.status} ${JSON.stringify(add.body)}`);
      carts[i] = cart;
    });

    let n = 0;
    const pgBefore = await postgresWork(admin, prefix);
    const cpuBefore = processCpuMs(child.pid!);
    const sysBefore = processCpuMs(child.pid!, "system");
    const latencies: number[] = [];
    const statuses: Record<number, number> = {};
    const started = performance.now();
    const r = await new Promise<AcResult>((resolve, reject) => {
      const inst = autocannon(
        {
          url: base,
          connections,
          amount: orderCount,
          requests: [
            {
              setupRequest: (rq: Record<string, unknown>) => {
                const i = n++;
                const cart = carts[i % orderCount]!;
                return {
                  ...rq,
                  method: "POST",
                  path: "/api/v1/checkout",
                  headers: { "x-tenant": "bench", "x-cart-token": cart.token, "idempotency-key": `bench-${run}-${i}`, "content-type": "application/json" },
                  body: JSON.stringify({ cartId: cart.id, email: "shopper@bench.test", shippingAddress: ADDRESS, paymentMethod: { provider: "test", card: "4242424242424242" } }),
                };
              },
            },
          ],
        },
        (err, res) => (err ? reject(err) : resolve(res)),
      );
      inst.on("response", (_c, status, _b, ms) => {
        statuses[status] = (statuses[status] ?? 0) + 1;
        if (status === 201) latencies.push(ms);
      });
    });
    const seconds = (performance.now() - started) / 1000;
    const platformCpuMs = processCpuMs(child.pid!) - cpuBefore;
    const platformSysMs = processCpuMs(child.pid!, "system") - sysBefore;
    const pg = (await postgresWork(admin, prefix)).since(pgBefore);
    const sorted = Float64Array.from(latencies).sort();
    const results = {
      connections,
      orders: orderCount,
      products: productCount,
      cpus: os.cpus().length,
      paid: latencies.length,
      statuses,
      ordersPerS: round(latencies.length / seconds, 0),
      p50: round(pct(sorted, 50)),
      p99: round(pct(sorted, 99)),
      errors: r.errors,
      // Cost per order, readable apart from the rest of the machine's load.
      platformCpuMsPerOrder: round(platformCpuMs / Math.max(1, orderCount)),
      platformKernelMsPerOrder: round(platformSysMs / Math.max(1, orderCount)),
      postgresCpuMsPerOrder: round(pg.cpuMs / Math.max(1, orderCount)),
      transactionsPerOrder: round(pg.commits / Math.max(1, orderCount), 1),
      transactionsPerOrderByService: Object.fromEntries([...pg.byDatabase].filter(([, n]) => n > 0).map(([db, n]) => [db, round(n / Math.max(1, orderCount), 1)])),
      loadAverage: os.loadavg().map((x) => round(x)),
    };
    // The same SQL without the platform: record one checkout's statements, replay them with pgbench.
    let replay: { perDatabase: Awaited<ReturnType<typeof runPgbench>>; ceiling: number; ratio: number } | undefined;
    const pgSeconds = Number(values["pgbench-seconds"]);
    if (pgSeconds > 0) {
      const last = carts[orderCount]!;
      const lastSku = skus[orderCount % skus.length]!;
      // Recording costs (postgres-js keeps a stack per query while observed), so a platform of its own
      // on the same databases records the one checkout; the measured run above had no observer.
      child.kill("SIGTERM");
      await new Promise((r) => child!.once("exit", r));
      child = await spawnPlatform(SELF, platformArgs, { env: { ...process.env, BENCH_CART_KEY_PREFIX: keyPrefix, BENCH_CAPTURE_FILE: captureFile } });
      const warm = carts[orderCount + 1]!;
      await api(base, "/api/v1/checkout", {
        method: "POST",
        headers: { "x-cart-token": warm.token, "idempotency-key": `bench-${run}-${orderCount + 1}` },
        body: { cartId: warm.id, email: "shopper@bench.test", shippingAddress: ADDRESS, paymentMethod: { provider: "test", card: "4242424242424242" } },
      });
      child.kill("SIGUSR2");
      await new Promise((r) => setTimeout(r, 50));
      const one = await api(base, "/api/v1/checkout", {
        method: "POST",
        headers: { "x-cart-token": last.token, "idempotency-key": `bench-${run}-${orderCount}`, traceparent: `00-${TRACE}-00f067aa0ba902b7-01` },
        body: { cartId: last.id, email: "shopper@bench.test", shippingAddress: ADDRESS, paymentMethod: { provider: "test", card: "4242424242424242" } },
      });
      await new Promise((r) => setTimeout(r, 50));
      child.kill("SIGUSR2");
      for (let i = 0; i < 100 && !fs.existsSync(captureFile); i++) await new Promise((r) => setTimeout(r, 20));
      if (one.status !== 201 || !fs.existsSync(captureFile)) throw new Error(`recorded checkout: ${one.status} ${JSON.stringify(one.body)}`);
      const captured = JSON.parse(fs.readFileSync(captureFile, "utf8")) as Captured[];
      fs.rmSync(captureFile);
      // The platform's pools would take connections pgbench needs; its databases stay until the end.
      child.kill("SIGTERM");
      await new Promise((r) => child!.once("exit", r));
      const pgClients = Number(values["pgbench-clients"]);
      log(`replaying one checkout's statements with pgbench (${pgClients} clients, ${pgSeconds} s per database)...`);
      if (process.env.BENCH_KEEP_CAPTURE) fs.writeFileSync(process.env.BENCH_KEEP_CAPTURE, JSON.stringify(captured, null, 1));
      const perDatabase = await runPgbench(values.database, pgbenchScripts(captured, TRACE, { pick: [{ value: lastSku, from: skus }] }), { clients: pgClients, seconds: pgSeconds, reportDir: path.join(ROOT, "infra", "bench", "results") }).catch((err: Error) => {
        log(`pgbench replay failed: ${err.message.split("\n")[0]}`);
        return undefined;
      });
      if (perDatabase) {
        const limit = ceiling(perDatabase);
        replay = { perDatabase, ceiling: round(limit, 0), ratio: round(latencies.length / seconds / limit, 2) };
      }
    }
    Object.assign(results, { pgbench: replay ?? null });
    fs.mkdirSync(path.join(ROOT, "infra", "bench", "results"), { recursive: true });
    fs.writeFileSync(path.join(ROOT, "infra", "bench", "results", "checkout.json"), JSON.stringify(results, null, 2));
    process.stdout.write(
      [
        "",
        `checkout bench: ${orderCount} checkouts, ${connections} connections, ${productCount} SKUs, ${results.cpus} CPUs, statuses ${JSON.stringify(statuses)}`,
        `  checkout   ${String(results.ordersPerS).padStart(6)} orders/s   p50 ${String(results.p50).padStart(6)} ms   p99 ${String(results.p99).padStart(6)} ms`,
        `  per order: platform CPU ${results.platformCpuMsPerOrder} ms (kernel ${results.platformKernelMsPerOrder}), Postgres CPU ${results.postgresCpuMsPerOrder} ms, ${results.transactionsPerOrder} transactions (${Object.entries(results.transactionsPerOrderByService).map(([db, n]) => `${db} ${n}`).join(", ")}; load ${results.loadAverage.join(" ")})`,
        ...(replay
          ? [
              `  pgbench, the same SQL without the platform: ${replay.perDatabase!.map((d) => `${d.db.slice(prefix.length + 1)} ${round(d.tps, 0)} tps (${d.statements} statements)`).join(", ")}`,
              `  Postgres ceiling for these statements: ${replay.ceiling} checkouts/s; the platform reaches ${Math.round(replay.ratio * 100)}% of it`,
            ]
          : []),
        `  targets: >= ${TARGETS.rps} orders/s, p99 <= ${TARGETS.p99Ms} ms`,
        "",
      ].join("\n"),
    );
    return 0;
  } finally {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      await new Promise((r) => child!.once("exit", r));
    }
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${keyPrefix}:*`, "COUNT", 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== "0");
    redis.disconnect();
    for (const s of SERVICES) await admin.unsafe(`drop database if exists "${prefix}_${s}" with (force)`).catch((e: Error) => log(`drop ${prefix}_${s}: ${e.message}`));
    await admin.end();
  }
}

// --serve: the platform, in-process topology, gateway on a port.
if (values.serve) {
  if (process.env.BENCH_CAPTURE_FILE) await installCapture(process.env.BENCH_CAPTURE_FILE);
  await servePlatform({ database: values.database, prefix: values.prefix, redis: values.redis, port: Number(values.port), cartKeyPrefix: process.env.BENCH_CART_KEY_PREFIX ?? "bench-checkout", poolMax: 6 });
} else {
  process.exitCode = await drive();
}
