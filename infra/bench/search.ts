/**
 * Catalog targets (issue 4), on a real PostgreSQL server, through the gateway, 50 connections:
 *   - search (a mix of text, filter, facet and sort queries)   target p99 <= 15 ms and >= 2,000 req/s
 *   - product page read                                        target p99 <= 5 ms
 *   - the same with 1,000 provisioned stores                   target within 10% of 1 store
 * Each load runs twice: as deployed (repeated URLs are answered by the gateway's shared cache of
 * public reads, which catalog events invalidate) and uncached (every request carries a unique
 * `_` parameter, so each one runs the SQL).
 *
 * Usage: pnpm bench:search [--products 10000] [--stores 1000] [--connections 50] [--duration 10]
 *                          [--database postgres://postgres@127.0.0.1:5432/postgres] [--keep-db]
 *
 * The platform runs in a child process (`--serve`) so autocannon (in this process) does not share its
 * event loop; it gets databases of its own on the server (`bench_search_<run>_<service>`), dropped at
 * the end. Results are printed and written to infra/bench/results/search.json.
 */
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { ADMIN, autocannon, benchLog, inParallel, pct, postgres, ROOT, round, SECRET, SERVICES, spawnPlatform, withDb } from "./lib.ts";

import { generateCatalog, type DemoCatalog } from "../../services/catalog/src/demo/generate.ts";
import { seedCatalog } from "../runner/src/seed-catalog.ts";

const SELF = fileURLToPath(import.meta.url);
const TARGETS = { searchP99Ms: 15, searchRps: 2_000, productP99Ms: 5, storesDriftPct: 10 } as const;

const { values } = parseArgs({
  options: {
    serve: { type: "boolean", default: false },
    port: { type: "string", default: "18090" },
    prefix: { type: "string", default: "" },
    products: { type: "string", default: "10000" },
    stores: { type: "string", default: "1000" },
    connections: { type: "string", default: "50" },
    duration: { type: "string", default: "10" },
    database: { type: "string", default: process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres" },
    "keep-db": { type: "boolean", default: false },
    /** Write a V8 CPU profile of the platform process into this directory. */
    profile: { type: "string" },
  },
});

const log = benchLog("bench:search");

// ---------------------------------------------------------------------------------------------
// The driver.


interface LoadResult {
  label: string;
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
  cpuMsPerRequest?: number;
}


/** autocannon over a rotating list of paths; latencies recorded per response at sub-ms precision. */
function load(label: string, base: string, paths: string[], o: { connections: number; durationS: number; bust: boolean }): Promise<LoadResult> {
  let i = 0;
  let n = 0;
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const inst = autocannon(
      {
        url: base,
        connections: o.connections,
        duration: o.durationS,
        headers: { "x-tenant": "bench" },
        requests: [
          {
            setupRequest: (req: Record<string, unknown>) => {
              const p = paths[i++ % paths.length]!;
              return { ...req, path: o.bust ? `${p}${p.includes("?") ? "&" : "?"}_=${n++}` : p };
            },
          },
        ],
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

async function api(base: string, p: string, init: { method?: string; body?: unknown; tenant?: string } = {}): Promise<{ status: number; body: unknown }> {
  const res = await fetch(base + p, {
    method: init.method ?? "GET",
    headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json", ...(init.tenant ? { "x-tenant": init.tenant } : {}) },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}


/** The demo apparel catalog at bench size, through the same path as the seed (taxonomy via the API, products via one NDJSON import). */
async function seedStore(base: string, count: number): Promise<DemoCatalog> {
  const demo = generateCatalog("apparel", count, 7);
  await seedCatalog(base, ADMIN, "bench", demo);
  return demo;
}

/**
 * A mix of what shoppers do, drawn from the catalog itself: the 16 most common name words, two-word
 * queries, prefixes as typed, typos, category and brand browsing with attribute filters, price
 * ranges, and plain browsing with different sorts.
 */
function searchPaths(demo: DemoCatalog): string[] {
  const counts = new Map<string, number>();
  for (const p of demo.products) for (const w of p.name.toLowerCase().match(/[a-z]{4,}/g) ?? []) counts.set(w, (counts.get(w) ?? 0) + 1);
  const words = [...counts].sort((x, y) => y[1] - x[1]).slice(0, 16).map(([w]) => w);
  const typo = (w: string) => w.slice(0, 2) + w[3] + w[2] + w.slice(4);
  const select = demo.attributes.find((a) => a.type === "select" && a.values.length > 1);
  const paths: string[] = [];
  for (const w of words) paths.push(`/api/v1/products?q=${w}`);
  for (let i = 0; i + 1 < 10; i += 2) paths.push(`/api/v1/products?q=${words[i]}%20${words[i + 1]}`);
  for (const w of words.slice(0, 3)) paths.push(`/api/v1/products?q=${w.slice(0, 3)}`, `/api/v1/products?q=${typo(w)}`);
  for (const c of demo.categories.slice(0, 4)) paths.push(`/api/v1/products?category=${c.slug}&sort=price_asc`);
  for (const b of demo.brands.slice(0, 3)) paths.push(`/api/v1/products?brand=${b.slug}${select ? `&attr.${select.code}=${encodeURIComponent(select.values.slice(0, 2).join(","))}` : ""}`);
  paths.push("/api/v1/products?minPrice=5000&maxPrice=20000&inStock=true&sort=price_desc");
  paths.push(`/api/v1/products?q=${words[0]}&inStock=true&sort=newest`);
  paths.push("/api/v1/products", "/api/v1/products?sort=name&limit=40");
  return paths;
}

async function drive(): Promise<number> {
  const products = Number(values.products);
  const stores = Number(values.stores);
  const connections = Number(values.connections);
  const durationS = Number(values.duration);
  const prefix = `bench_search_${Date.now().toString(36)}`;
  const port = Number(values.port);
  const base = `http://127.0.0.1:${port}`;
  const admin = postgres(values.database, { max: 1, onnotice: () => undefined });
  try {
    await admin`select 1`;
  } catch (err) {
    log(`no PostgreSQL at ${values.database.replace(/\/\/[^@]*@/, "//***@")}: ${(err as Error).message}`);
    return 1;
  }
  let child: ChildProcess | undefined;
  const results: Record<string, unknown> = { products, stores, connections, durationS, cpus: os.cpus().length, loadBefore: os.loadavg().map((n) => round(n)) };
  try {
    log(`platform on ${values.database.replace(/\/\/[^@]*@/, "//***@")} (databases ${prefix}_*), gateway :${port}`);
    // node itself (not the tsx wrapper), so the child's pid is the platform's (RSS, profile).
    child = await spawnPlatform(SELF, ["--port", String(port), "--prefix", prefix, "--database", values.database], { ...(values.profile ? { profile: values.profile } : {}) });
    const created = await api(base, "/api/v1/platform/tenants", { method: "POST", body: { slug: "bench", name: "Bench", ownerEmail: "o@bench.test", plan: "starter", currency: "USD" } });
    if (created.status !== 201) throw new Error(`store: ${created.status} ${JSON.stringify(created.body)}`);
    log(`seeding ${products} products...`);
    const t0 = performance.now();
    const demo = await seedStore(base, products);
    const slugs = demo.products.filter((p) => p.status === "active").map((p) => p.slug);
    results.seedS = round((performance.now() - t0) / 1000, 1);
    log(`seeded in ${results.seedS} s`);
    await admin.unsafe(`analyze`).catch(() => undefined);
    const catalogDb = postgres(withDb(values.database, `${prefix}_catalog`), { max: 1, onnotice: () => undefined });
    await catalogDb.unsafe("analyze");
    await catalogDb.end();

    const sPaths = searchPaths(demo);
    const pPaths = slugs.filter((_, i) => i % 7 === 0).map((s) => `/api/v1/products/${s}`);
    const clockTick = 100; // USER_HZ on Linux
    const cpuMs = () => {
      const fields = fs.readFileSync(`/proc/${child!.pid}/stat`, "utf8").split(") ")[1]!.split(" ");
      return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTick;
    };
    const round1 = async (label: string) => {
      const out: LoadResult[] = [];
      for (const [name, paths] of [["search", sPaths], ["product", pPaths]] as const) {
        await load("warm-up", base, paths, { connections, durationS: 2, bust: false });
        for (const bust of [false, true]) {
          const cpu0 = cpuMs();
          const r = await load(`${label} ${name} ${bust ? "uncached" : "cached"}`, base, paths, { connections, durationS, bust });
          // Platform CPU per request (Postgres excluded: the memory engine and cached reads do not query it).
          r.cpuMsPerRequest = round((cpuMs() - cpu0) / Math.max(1, r.requests), 3);
          log(`${r.label}: ${r.rps} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, platform CPU ${r.cpuMsPerRequest} ms/request${r.non2xx ? `, ${r.non2xx} non-2xx` : ""}${r.errors ? `, ${r.errors} errors` : ""}`);
          out.push(r);
        }
      }
      return out;
    };
    const rss = () => {
      const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child!.pid}/status`, "utf8"));
      return m ? round(Number(m[1]) / 1024, 0) : null;
    };
    const one = await round1("1 store");
    results.oneStore = one;
    results.platformRssMiB = { afterOneStore: rss() };
    log(`platform RSS ${rss()} MiB`);

    if (stores > 1) {
      log(`provisioning ${stores - 1} more stores...`);
      const t1 = performance.now();
      await inParallel(Array.from({ length: stores - 1 }, (_, i) => i), 4, async (i) => {
        const r = await api(base, "/api/v1/platform/tenants", { method: "POST", body: { slug: `bench-${i}`, name: `Bench ${i}`, ownerEmail: `o@bench-${i}.test`, plan: "starter", currency: "USD" } });
        if (r.status !== 201) throw new Error(`store bench-${i}: ${r.status} ${JSON.stringify(r.body)}`);
      });
      results.provisionS = round((performance.now() - t1) / 1000, 1);
      log(`provisioned in ${results.provisionS} s`);
      const many = await round1(`${stores} stores`);
      results.manyStores = many;
      (results.platformRssMiB as Record<string, unknown>).afterManyStores = rss();
      results.driftPct = one.map((r, i) => ({ label: r.label, rpsPct: round(((many[i]!.rps - r.rps) / r.rps) * 100, 1), p99Pct: round(((many[i]!.p99 - r.p99) / r.p99) * 100, 1) }));
    }
    results.loadAfter = os.loadavg().map((n) => round(n));
    fs.mkdirSync(path.join(ROOT, "infra", "bench", "results"), { recursive: true });
    fs.writeFileSync(path.join(ROOT, "infra", "bench", "results", "search.json"), JSON.stringify(results, null, 2));
    printReport(results);
    return 0;
  } finally {
    if (child && child.exitCode === null) {
      child.kill("SIGTERM");
      await new Promise((r) => child!.once("exit", r));
    }
    if (values["keep-db"]) log(`kept databases ${prefix}_*`);
    else for (const s of SERVICES) await admin.unsafe(`drop database if exists "${prefix}_${s}" with (force)`).catch((e: Error) => log(`drop ${prefix}_${s}: ${e.message}`));
    await admin.end();
  }
}

function printReport(r: Record<string, unknown>): void {
  const rows = [...((r.oneStore as LoadResult[]) ?? []), ...((r.manyStores as LoadResult[]) ?? [])];
  const out = ["", `catalog bench: ${r.products} products, ${r.connections} connections, ${r.durationS} s per run, ${r.cpus} CPUs, load ${JSON.stringify(r.loadBefore)} -> ${JSON.stringify(r.loadAfter)}`];
  for (const x of rows) {
    const bad = x.non2xx || x.errors ? `   (${x.non2xx} non-2xx, ${x.errors} errors)` : "";
    out.push(`  ${x.label.padEnd(36)} ${String(x.rps).padStart(7)} req/s   p50 ${String(x.p50).padStart(6)} ms   p99 ${String(x.p99).padStart(6)} ms   CPU ${x.cpuMsPerRequest ?? "?"} ms/req${bad}`);
  }
  if (r.driftPct) for (const d of r.driftPct as { label: string; rpsPct: number; p99Pct: number }[]) out.push(`  drift ${d.label.padEnd(30)} req/s ${d.rpsPct}%   p99 ${d.p99Pct}%`);
  out.push(`  targets: search p99 <= ${TARGETS.searchP99Ms} ms and >= ${TARGETS.searchRps} req/s; product p99 <= ${TARGETS.productP99Ms} ms; ${TARGETS.storesDriftPct}% drift at many stores`);
  process.stdout.write(out.join("\n") + "\n");
}

// ---------------------------------------------------------------------------------------------
// --serve: the platform, in-process topology, gateway on a port (run as this script's child).

if (values.serve) {
  const { InProcessBus } = await import("../../packages/service-kit/src/events/index.ts");
  const { createLogger } = await import("../../packages/service-kit/src/logging/index.ts");
  const { serveApp } = await import("../../packages/service-kit/src/http/index.ts");
  const { createPlatform } = await import("../runner/src/platform.ts");
  const databaseUrls = Object.fromEntries(SERVICES.map((s) => [s, withDb(values.database, `${values.prefix}_${s}`)]));
  const bus = new InProcessBus();
  const platform = await createPlatform({ serverUrl: values.database, databaseUrls, bus, logger: createLogger({ service: "bench", level: "warn" }), secret: SECRET, adminToken: ADMIN, poolMax: 20 });
  await platform.start();
  const server = await serveApp(platform.gateway.app.fetch, { port: Number(values.port) });
  process.stdout.write("READY\n");
  const stop = async () => {
    await server.close();
    await platform.stop();
    await bus.close();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop());
  process.on("SIGINT", () => void stop());
} else {
  process.exitCode = await drive();
}
