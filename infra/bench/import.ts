/**
 * Bulk import target (issue 4): 10,000 products in <= 30 s, as CSV and as JSON, each into a fresh
 * store, uploaded through the gateway over HTTP (streamed, 64 KB chunks) on a real PostgreSQL server.
 * Also times a dry run of the JSON file and re-importing the CSV (10,000 updates).
 *
 * Usage: pnpm bench:import [--products 10000] [--kind apparel|electronics] [--port 18091]
 *                          [--database postgres://postgres@127.0.0.1:5432/postgres] [--keep-db]
 *
 * The platform runs in this process (in-process topology, like `pnpm start`) on databases of its own
 * (`bench_import_<run>_<service>`), dropped at the end. Products come from the demo generator
 * (services/catalog/src/demo). Figures are printed and written to infra/bench/results/import.json.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { demoProducts, demoTaxonomy, type DemoKind } from "../../services/catalog/src/demo/generate.ts";
import { productsToCsv } from "../../services/catalog/src/modules/import/import.csv-write.ts";
import { createDatabase, dropDatabase } from "../../packages/service-kit/src/db/index.ts";
import { InProcessBus } from "../../packages/service-kit/src/events/index.ts";
import { serveApp } from "../../packages/service-kit/src/http/index.ts";
import { createLogger } from "../../packages/service-kit/src/logging/index.ts";
import { createPlatform } from "../runner/src/platform.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const SECRET = "bench-internal-secret-0123456789";
const ADMIN = "bench-admin-token-0123456789";
const SERVICES = ["tenant", "identity", "catalog", "cart", "order", "payment", "inventory", "notification", "recommendation"];
const TARGET_S = 30;

const { values } = parseArgs({
  options: {
    products: { type: "string", default: "10000" },
    kind: { type: "string", default: "apparel" },
    port: { type: "string", default: "18091" },
    database: { type: "string", default: process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres" },
    "keep-db": { type: "boolean", default: false },
  },
});

const log = (s: string) => process.stdout.write(`[bench:import] ${s}\n`);
const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;
const withDb = (url: string, name: string) => {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
};
const hidden = (url: string) => url.replace(/\/\/[^@]*@/, "//***@");

const count = Number(values.products);
const kind = values.kind as DemoKind;
const prefix = `bench_import_${Date.now().toString(36)}`;
const base = `http://127.0.0.1:${values.port}`;

async function api<T = unknown>(p: string, init: { method?: string; body?: unknown; tenant?: string } = {}): Promise<{ status: number; body: T }> {
  const res = await fetch(base + p, {
    method: init.method ?? "GET",
    headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json", ...(init.tenant ? { "x-tenant": init.tenant } : {}) },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

/** A store with the demo kind's categories, brands and attributes, ready for its products. */
async function freshStore(slug: string): Promise<void> {
  const created = await api("/api/v1/platform/tenants", { method: "POST", body: { slug, name: slug, ownerEmail: `o@${slug}.test`, plan: "starter", currency: "USD" } });
  if (created.status !== 201) throw new Error(`store ${slug}: ${created.status} ${JSON.stringify(created.body)}`);
  const taxonomy = demoTaxonomy(kind);
  const ids = new Map<string, string>();
  for (const c of taxonomy.categories) {
    const res = await api<{ id: string }>("/api/v1/admin/categories", { method: "POST", tenant: slug, body: { name: c.name, slug: c.slug, parentId: c.parent ? ids.get(c.parent) : null } });
    if (res.status !== 201) throw new Error(`category ${c.slug}: ${res.status} ${JSON.stringify(res.body)}`);
    ids.set(c.slug, res.body.id);
  }
  for (const b of taxonomy.brands) await api("/api/v1/admin/brands", { method: "POST", tenant: slug, body: b });
  for (const a of taxonomy.attributes) await api("/api/v1/admin/attributes", { method: "POST", tenant: slug, body: a });
}

interface Run {
  label: string;
  seconds: number;
  rowsPerS: number;
  productsPerS: number;
  mb: number;
  created: number;
  updated: number;
  rows: number;
}

/** Upload a file as a stream (64 KB chunks) and wait for the import's answer. */
async function runImport(label: string, store: string, text: string, contentType: string, query = ""): Promise<Run> {
  const bytes = Buffer.from(text);
  let at = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(at, (at += 64 * 1024)));
    },
  });
  const t0 = performance.now();
  const res = await fetch(`${base}/api/v1/admin/imports${query}`, {
    method: "POST",
    headers: { authorization: `Bearer ${ADMIN}`, "x-tenant": store, "content-type": contentType },
    body,
    duplex: "half",
  } as RequestInit);
  const job = (await res.json()) as { counts: { rows: number; created: number; updated: number; errors: number }; errors?: unknown[] };
  const seconds = (performance.now() - t0) / 1000;
  if (res.status >= 300) throw new Error(`${label}: ${res.status} ${JSON.stringify(job).slice(0, 1000)}`);
  const run = {
    label,
    seconds: round(seconds),
    rowsPerS: Math.round(job.counts.rows / seconds),
    productsPerS: Math.round(count / seconds),
    mb: round(bytes.length / 1024 / 1024, 1),
    created: job.counts.created,
    updated: job.counts.updated,
    rows: job.counts.rows,
  };
  log(`${label}: ${run.seconds} s, ${run.rows} rows (${run.rowsPerS} rows/s, ${run.productsPerS} products/s), ${run.mb} MB, created ${run.created}, updated ${run.updated}`);
  return run;
}

const probe = createDatabase(values.database, { max: 1 });
try {
  await probe.sql`select 1`;
} catch (err) {
  log(`no PostgreSQL at ${hidden(values.database)}: ${(err as Error).message}`);
  process.exit(1);
} finally {
  await probe.close();
}
const databaseUrls = Object.fromEntries(SERVICES.map((s) => [s, withDb(values.database, `${prefix}_${s}`)]));
const bus = new InProcessBus();
const platform = await createPlatform({ serverUrl: values.database, databaseUrls, bus, logger: createLogger({ service: "bench", level: "warn" }), secret: SECRET, adminToken: ADMIN, poolMax: 20 });
let server: Awaited<ReturnType<typeof serveApp>> | undefined;
try {
  await platform.start();
  server = await serveApp(platform.gateway.app.fetch, { port: Number(values.port) });
  log(`platform on ${hidden(values.database)} (databases ${prefix}_*), gateway ${base}`);
  const products = [...demoProducts(kind, count)];
  const csv = productsToCsv(products);
  const json = JSON.stringify(products);
  log(`${count} ${kind} products, ${products.reduce((n, p) => n + p.variants.length, 0)} variants: CSV ${round(csv.length / 1024 / 1024, 1)} MB, JSON ${round(json.length / 1024 / 1024, 1)} MB`);
  await freshStore("bench-csv");
  await freshStore("bench-json");
  const runs: Run[] = [];
  runs.push(await runImport("CSV into a fresh store", "bench-csv", csv, "text/csv"));
  runs.push(await runImport("JSON dry run", "bench-json", json, "application/json", "?dryRun=true"));
  runs.push(await runImport("JSON into a fresh store", "bench-json", json, "application/json"));
  runs.push(await runImport("CSV again (all updates)", "bench-csv", csv, "text/csv"));
  const check = await api<{ total: number }>("/api/v1/admin/products/search?limit=1&facets=false", { tenant: "bench-json" });
  if (check.body.total !== count) throw new Error(`expected ${count} products in bench-json, search finds ${check.body.total}`);
  const results = { products: count, kind, cpus: os.cpus().length, node: process.version, load: os.loadavg().map((n) => round(n)), targetS: TARGET_S, runs };
  fs.mkdirSync(path.join(ROOT, "infra", "bench", "results"), { recursive: true });
  fs.writeFileSync(path.join(ROOT, "infra", "bench", "results", "import.json"), JSON.stringify(results, null, 2));
  const out = ["", `bulk import bench: ${count} ${kind} products, ${results.cpus} CPUs, Node ${results.node}, load ${JSON.stringify(results.load)}`];
  for (const r of runs) out.push(`  ${r.label.padEnd(26)} ${String(r.seconds).padStart(7)} s   ${String(r.rowsPerS).padStart(7)} rows/s   ${String(r.productsPerS).padStart(6)} products/s   ${String(r.mb).padStart(5)} MB`);
  const worst = Math.max(...runs.filter((r) => !r.label.includes("dry")).map((r) => r.seconds));
  out.push(`  target: <= ${TARGET_S} s per 10,000-product import -> ${worst <= TARGET_S * (count / 10_000) ? "met" : "MISSED"} (slowest ${worst} s)`);
  process.stdout.write(`${out.join("\n")}\n`);
} finally {
  await server?.close();
  await platform.stop();
  await bus.close();
  if (values["keep-db"]) log(`kept databases ${prefix}_*`);
  else for (const s of SERVICES) await dropDatabase(values.database, `${prefix}_${s}`).catch((e: Error) => log(`drop ${prefix}_${s}: ${e.message}`));
}
