/**
 * Performance bench for the platform's three targets:
 *   1. `pnpm start` ready time, installed and built, data already there  (target <= 20 s, median of 3)
 *   2. product read through the gateway, 50 connections                 (target p99 <= 10 ms)
 *   3. provisioning 100 tenants                                          (target <= 30 s)
 *
 * Usage: pnpm bench [--only start|read|provision]... [--runs 3] [--tenants 100] [--concurrency 4]
 *                   [--connections 50] [--duration 10] [--verbose] [--keep-data]
 *
 * The platform runs as a child process (`tsx infra/runner/src/cli.ts start`) in its own process
 * group, on non-default ports and a throwaway data dir (.data-bench), so a developer's running
 * platform is left alone. autocannon runs in this process. Figures are printed as a table and
 * written to infra/bench/results/latest.json. Every platform is stopped (SIGINT to its node process,
 * then SIGKILL of its process group if it hangs; a surviving Postgres on the bench data dir is killed
 * too) and the data dir removed before exit, also on error or Ctrl-C.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");
const CLI = "infra/runner/src/cli.ts";
const DATA_DIR_NAME = ".data-bench";
const DATA_DIR = path.join(ROOT, DATA_DIR_NAME);
const RESULTS_FILE = path.join(ROOT, "infra", "bench", "results", "latest.json");
const ADMIN_TOKEN = "bazaar-dev-admin-token";
const PORTS = { GATEWAY_PORT: 18080, STOREFRONT_PORT: 13000, ADMIN_PORT: 13001, EMBEDDED_PG_PORT: 55439 } as const;
const GATEWAY = `http://127.0.0.1:${PORTS.GATEWAY_PORT}`;
const TARGETS = { startS: 20, readP99Ms: 10, provisionS: 30 } as const;
const SECTIONS = ["start", "read", "provision"] as const;
type Section = (typeof SECTIONS)[number];

/** Set by SIGINT/SIGTERM/SIGHUP: stop measuring, clean up, report nothing. */
let interrupted = false;

// ---------------------------------------------------------------------------------------------
// autocannon: a dependency of @bazaar/runner (no types shipped); resolve it from there.

interface AcHistogram {
  average: number;
  mean: number;
  stddev: number;
  min: number;
  max: number;
  p50: number;
  p90: number;
  p99: number;
  p99_9: number;
}
interface AcResult {
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  resets: number;
  statusCodeStats: Record<string, { count: number }>;
  latency: AcHistogram & { totalCount: number };
  requests: AcHistogram & { total: number; sent: number };
  throughput: AcHistogram & { total: number };
}
interface AcOptions {
  url: string;
  connections: number;
  duration: number;
  method?: string;
  headers?: Record<string, string>;
  timeout?: number;
}
interface AcInstance {
  on(event: "response", listener: (client: unknown, statusCode: number, resBytes: number, responseTime: number) => void): unknown;
  stop(): void;
}
type Autocannon = (opts: AcOptions, cb: (err: Error | null, result: AcResult) => void) => AcInstance;

const autocannon = createRequire(path.join(ROOT, "infra", "runner", "package.json"))("autocannon") as Autocannon;

// ---------------------------------------------------------------------------------------------
// Small helpers

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
const secs = (ms: number) => round(ms / 1000, 2);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
/** Nearest-rank percentile of an ascending array. */
const pct = (sorted: ArrayLike<number>, p: number) => (sorted.length ? sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]! : NaN);
const loadavg = () => os.loadavg().map((n) => round(n, 2)) as [number, number, number];
const log = (s: string) => process.stdout.write(`[bench] ${s}\n`);

function table(rows: (string | number)[][], indent = "  "): string {
  const cells = rows.map((r) => r.map(String));
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  return cells
    .map((r) => indent + r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("   "))
    .join("\n");
}

async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once("error", () => resolve(false));
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

interface ProcStat {
  pid: number;
  ppid: number;
  pgrp: number;
  comm: string;
  state: string;
  /** utime + stime, in clock ticks */
  cpuTicks: number;
}

/** Every live (non-zombie) process, read from /proc; undefined where there is no /proc (not Linux). */
function processes(): ProcStat[] | undefined {
  let entries: string[];
  try {
    entries = fs.readdirSync("/proc");
  } catch {
    return undefined;
  }
  const out: ProcStat[] = [];
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${e}/stat`, "utf8");
    } catch {
      continue;
    }
    // "pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime ..."
    const close = stat.lastIndexOf(")");
    const f = stat.slice(close + 2).split(" ");
    if (f[0] === "Z" || f[0] === "X") continue;
    out.push({
      pid: Number(e),
      ppid: Number(f[1]),
      pgrp: Number(f[2]),
      comm: stat.slice(stat.indexOf("(") + 1, close),
      state: f[0]!,
      cpuTicks: Number(f[11]) + Number(f[12]),
    });
  }
  return out;
}

/** Live processes of a process group. */
function groupProcesses(pgid: number): ProcStat[] | undefined {
  return processes()?.filter((p) => p.pgrp === pgid);
}

function groupAlive(pgid: number): boolean {
  const procs = groupProcesses(pgid);
  if (procs) return procs.length > 0;
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * CPU time (ms, ticks taken as 100 Hz) of a process and all its descendants, by pid, split into
 * Postgres and the rest. Descendants, not the process group: Postgres backends call setsid().
 */
function treeCpu(root: number): Map<number, { ms: number; postgres: boolean }> {
  const all = processes() ?? [];
  const children = new Map<number, ProcStat[]>();
  for (const p of all) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const out = new Map<number, { ms: number; postgres: boolean }>();
  const rootStat = all.find((p) => p.pid === root);
  const stack = rootStat ? [rootStat] : [];
  while (stack.length) {
    const p = stack.pop()!;
    out.set(p.pid, { ms: p.cpuTicks * 10, postgres: p.comm.startsWith("postgres") });
    stack.push(...(children.get(p.pid) ?? []));
  }
  return out;
}

interface CpuSplit {
  /** node: the platform process (gateway + all services), tsx, Next apps */
  nodeS: number;
  postgresS: number;
}
function cpuDelta(before: Map<number, { ms: number; postgres: boolean }>, after: Map<number, { ms: number; postgres: boolean }>): CpuSplit | null {
  if (!after.size) return null;
  let node = 0;
  let pg = 0;
  for (const [pid, a] of after) {
    const d = a.ms - (before.get(pid)?.ms ?? 0);
    if (a.postgres) pg += d;
    else node += d;
  }
  return { nodeS: secs(node), postgresS: secs(pg) };
}

// ---------------------------------------------------------------------------------------------
// The platform as a child process

interface Line {
  /** ms since spawn */
  t: number;
  line: string;
}

class PlatformProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly spawnedAt = performance.now();
  readonly lines: Line[] = [];
  exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  readonly exited: Promise<void>;
  private waiters: { re: RegExp; resolve: (l: Line) => void; reject: (e: Error) => void }[] = [];

  constructor(
    readonly label: string,
    apps: boolean,
    verbose: boolean,
  ) {
    if (interrupted) throw new Error("interrupted");
    const env: NodeJS.ProcessEnv = { ...process.env };
    // The embedded profile, whatever the developer's shell points at.
    for (const k of Object.keys(env)) if (k === "DATABASE_URL" || k.startsWith("DATABASE_URL_") || k === "KAFKA_BROKERS") delete env[k];
    Object.assign(env, {
      BAZAAR_DATA_DIR: DATA_DIR_NAME,
      BAZAAR_APPS: String(apps),
      BAZAAR_SEED: "true",
      BAZAAR_ADMIN_TOKEN: ADMIN_TOKEN,
      GATEWAY_PORT: String(PORTS.GATEWAY_PORT),
      STOREFRONT_PORT: String(PORTS.STOREFRONT_PORT),
      ADMIN_PORT: String(PORTS.ADMIN_PORT),
      EMBEDDED_PG_PORT: String(PORTS.EMBEDDED_PG_PORT),
      // All load comes from this one address: the per-IP limit would measure the limiter, not the
      // platform. Per-token and per-store limits keep their configured values.
      RATE_LIMIT_IP_PER_MIN: "0",
    });
    // Own process group: Postgres and the Next apps can be killed with it if a stop goes wrong.
    this.child = spawn(TSX, [CLI, "start"], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
    if (this.child.pid === undefined) throw new Error(`could not spawn ${TSX}`);
    this.pid = this.child.pid;
    live.add(this);
    for (const stream of [this.child.stdout!, this.child.stderr!]) {
      readline.createInterface({ input: stream, crlfDelay: Infinity }).on("line", (line) => {
        const l = { t: performance.now() - this.spawnedAt, line };
        this.lines.push(l);
        if (verbose) process.stdout.write(`  [${label} +${(l.t / 1000).toFixed(2)}s] ${line}\n`);
        for (const w of [...this.waiters]) {
          if (w.re.test(line)) {
            this.waiters.splice(this.waiters.indexOf(w), 1);
            w.resolve(l);
          }
        }
      });
    }
    this.exited = new Promise((resolve) => {
      this.child.once("exit", (code, signal) => {
        this.exit = { code, signal };
        for (const w of this.waiters.splice(0)) w.reject(new Error(`${label}: platform exited (${code ?? signal}) before "${w.re.source}"\n${this.tail()}`));
        resolve();
      });
    });
  }

  tail(n = 30): string {
    return this.lines
      .slice(-n)
      .map((l) => `    | ${l.line}`)
      .join("\n");
  }

  waitFor(re: RegExp, timeoutMs: number): Promise<Line> {
    const hit = this.lines.find((l) => re.test(l.line));
    if (hit) return Promise.resolve(hit);
    if (this.exit) return Promise.reject(new Error(`${this.label}: platform already exited (${this.exit.code ?? this.exit.signal})\n${this.tail()}`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.resolve !== done);
        reject(new Error(`${this.label}: no "${re.source}" within ${timeoutMs / 1000} s\n${this.tail()}`));
      }, timeoutMs);
      const done = (l: Line) => {
        clearTimeout(timer);
        resolve(l);
      };
      this.waiters.push({ re, resolve: done, reject: (e) => (clearTimeout(timer), reject(e)) });
    });
  }

  /** SIGINT (what Ctrl-C sends) and wait; SIGKILL the whole group if it hangs. Returns ms taken. */
  async stop(timeoutMs = 30_000): Promise<number> {
    const t0 = performance.now();
    if (!this.exit) {
      // SIGINT the platform's own node process (tsx's child), not tsx: tsx relays a signal and
      // SIGKILLs its child when the child does not acknowledge within 30 ms, which a busy event loop
      // (e.g. under autocannon) misses, leaving Postgres orphaned.
      const platform = processes()?.find((q) => q.ppid === this.pid && q.comm.startsWith("node"));
      signal(platform?.pid ?? this.pid, "SIGINT");
      const timedOut = await Promise.race([this.exited.then(() => false), sleep(timeoutMs).then(() => true)]);
      if (timedOut) {
        log(`${this.label}: did not stop within ${timeoutMs / 1000} s after SIGINT; killing its process group`);
        killGroup(this.pid, "SIGKILL");
        await this.exited;
      }
    }
    const ms = performance.now() - t0;
    // Anything the platform started (Postgres, Next) must be gone with it.
    for (let i = 0; i < 50 && groupAlive(this.pid); i++) await sleep(100);
    if (groupAlive(this.pid)) {
      const left = (groupProcesses(this.pid) ?? []).map((p) => p.pid);
      log(`${this.label}: processes left in its group after exit (${left.join(", ") || "?"}); killing them`);
      killGroup(this.pid, "SIGKILL");
      for (let i = 0; i < 50 && groupAlive(this.pid); i++) await sleep(100);
    }
    // Our own Postgres (the bench data dir is ours; preflight refused a running one): never leave it.
    const pm = postmasterPid();
    if (pm) {
      log(`${this.label}: Postgres (pid ${pm}) outlived the platform; stopping it`);
      signal(pm, "SIGQUIT");
      for (let i = 0; i < 50 && alive(pm); i++) await sleep(100);
      signal(pm, "SIGKILL");
    }
    live.delete(this);
    return ms;
  }
}

const live = new Set<PlatformProcess>();

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    /* already gone */
  }
}
const killGroup = (pgid: number, sig: NodeJS.Signals) => signal(-pgid, sig);

function postmasterPid(): number | undefined {
  const file = path.join(DATA_DIR, "pg", "postmaster.pid");
  if (!fs.existsSync(file)) return undefined;
  const pid = Number(fs.readFileSync(file, "utf8").split("\n")[0]);
  return Number.isInteger(pid) && pid > 0 && alive(pid) ? pid : undefined;
}

function wipeDataDir(): void {
  const pm = postmasterPid();
  if (pm) throw new Error(`a Postgres (pid ${pm}) still runs on ${DATA_DIR_NAME}; stop it before benchmarking`);
  fs.rmSync(DATA_DIR, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------------
// 1. start

interface StartRun {
  label: string;
  /** spawn -> "Bazaar is running" line, as seen by this process */
  readyS: number;
  /** "ready in X s" printed by the runner (measured from inside start(), after module loading) */
  selfReportedS: number | null;
  /** time of each runner milestone after spawn */
  phases: { postgresS: number | null; servicesS: number | null; seededS: number | null };
  builtApps: boolean;
  stopS: number;
  loadBefore: [number, number, number];
}

async function timedStart(label: string, opts: { apps: boolean; timeoutMs: number; verbose: boolean }): Promise<StartRun> {
  const loadBefore = loadavg();
  const p = new PlatformProcess(label, opts.apps, opts.verbose);
  try {
    const ready = await p.waitFor(/Bazaar is running/, opts.timeoutMs);
    const at = (re: RegExp) => {
      const l = p.lines.find((x) => re.test(x.line));
      return l ? secs(l.t) : null;
    };
    const self = ready.line.match(/ready in ([\d.]+) s/);
    const run = {
      label,
      readyS: secs(ready.t),
      selfReportedS: self ? Number(self[1]) : null,
      phases: { postgresS: at(/embedded Postgres on/), servicesS: at(/\[bazaar\] events:/), seededS: at(/seeded demo stores|demo stores already seeded/) },
      builtApps: p.lines.some((l) => /building \w+ \(first start or sources changed\)/.test(l.line)),
    };
    const stopMs = await p.stop();
    return { ...run, stopS: secs(stopMs), loadBefore };
  } finally {
    if (live.has(p)) await p.stop();
  }
}

interface StartResults {
  fresh: StartRun;
  /** The first fresh start had to `next build` the apps; it was repeated for the figure. */
  warmupBuiltApps: boolean;
  warm: StartRun[];
  medianWarmS: number;
}

async function benchStart(runs: number, verbose: boolean): Promise<StartResults> {
  log(`start: fresh start (empty ${DATA_DIR_NAME}, BAZAAR_APPS=true; also the warm-up)...`);
  wipeDataDir();
  let fresh = await timedStart("fresh", { apps: true, timeoutMs: 20 * 60_000, verbose });
  const warmupBuiltApps = fresh.builtApps;
  if (warmupBuiltApps) {
    log(`start: that start built the Next apps (${fresh.readyS} s); repeating the fresh start without the build...`);
    wipeDataDir();
    fresh = await timedStart("fresh", { apps: true, timeoutMs: 20 * 60_000, verbose });
  }
  log(`start: fresh ready in ${fresh.readyS} s`);
  const warm: StartRun[] = [];
  for (let i = 1; i <= runs; i++) {
    await sleep(1_000);
    const r = await timedStart(`warm ${i}`, { apps: true, timeoutMs: 5 * 60_000, verbose });
    if (r.builtApps) log(`start: warning: warm ${i} rebuilt the apps (their sources changed meanwhile?)`);
    log(`start: warm ${i} ready in ${r.readyS} s`);
    warm.push(r);
  }
  return { fresh, warmupBuiltApps, warm, medianWarmS: round(median(warm.map((w) => w.readyS)), 2) };
}

// ---------------------------------------------------------------------------------------------
// 2. read

interface ReadResults {
  url: string;
  connections: number;
  durationS: number;
  warmupS: number;
  requestsPerSec: number;
  requestsTotal: number;
  latencyMs: { mean: number; p50: number; p90: number; p99: number; p99_9: number; max: number };
  /** autocannon's own histogram (records whole milliseconds) */
  autocannonLatencyMs: { p50: number; p90: number; p99: number; p99_9: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  /** CPU used by the platform's processes during the measured run */
  platformCpu: CpuSplit | null;
  benchCpuS: number;
  /** per second of the measured run: completed 2xx responses and their worst latency (ms) */
  perSecond: { s: number; count: number; p99: number; max: number }[];
}

/** The load generator in flight, stopped first on cleanup (its traffic would hold the platform's drain). */
let loadInFlight: AcInstance | undefined;

function runAutocannon(opts: AcOptions, onResponse?: (status: number, ms: number) => void): Promise<AcResult> {
  return new Promise((resolve, reject) => {
    const inst = autocannon(opts, (err, result) => {
      loadInFlight = undefined;
      if (interrupted) reject(new Error("interrupted"));
      else if (err) reject(err);
      else resolve(result);
    });
    loadInFlight = inst;
    if (onResponse) inst.on("response", (_client, status, _bytes, ms) => onResponse(status, ms));
  });
}

async function benchRead(p: PlatformProcess, o: { connections: number; durationS: number }): Promise<ReadResults> {
  const url = `${GATEWAY}/api/v1/products/classic-tee`;
  const headers = { "x-tenant": "acme" };
  const probe = await fetch(url, { headers });
  if (!probe.ok) throw new Error(`GET ${url} -> ${probe.status} ${await probe.text()}`);
  await probe.arrayBuffer().catch(() => undefined);

  const warmupS = 2;
  log(`read: warm-up ${warmupS} s, then ${o.durationS} s at ${o.connections} connections...`);
  await runAutocannon({ url, headers, connections: o.connections, duration: warmupS });

  const latencies: number[] = [];
  const buckets: number[][] = [];
  const cpu0 = treeCpu(p.pid);
  const bench0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await runAutocannon({ url, headers, connections: o.connections, duration: o.durationS }, (status, ms) => {
    if (status < 200 || status >= 300) return;
    latencies.push(ms);
    const sec = Math.floor((performance.now() - t0) / 1000);
    (buckets[sec] ??= []).push(ms);
  });
  const benchCpu = process.cpuUsage(bench0);
  const cpu1 = treeCpu(p.pid);
  const sorted = Float64Array.from(latencies).sort();
  const mean = latencies.reduce((a, b) => a + b, 0) / (latencies.length || 1);
  return {
    url,
    connections: o.connections,
    durationS: o.durationS,
    warmupS,
    requestsPerSec: round(r.requests.average, 1),
    requestsTotal: r.requests.total,
    latencyMs: {
      mean: round(mean),
      p50: round(pct(sorted, 50)),
      p90: round(pct(sorted, 90)),
      p99: round(pct(sorted, 99)),
      p99_9: round(pct(sorted, 99.9)),
      max: round(sorted[sorted.length - 1] ?? NaN),
    },
    autocannonLatencyMs: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, p99_9: r.latency.p99_9, max: r.latency.max },
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    statusCodes: Object.fromEntries(Object.entries(r.statusCodeStats).map(([k, v]) => [k, v.count])),
    platformCpu: cpuDelta(cpu0, cpu1),
    benchCpuS: secs((benchCpu.user + benchCpu.system) / 1000),
    perSecond: [...buckets.entries()].map(([sec, b = []]) => {
      const sorted = Float64Array.from(b).sort();
      return { s: sec, count: b.length, p99: round(pct(sorted, 99), 1), max: round(sorted[sorted.length - 1] ?? NaN, 1) };
    }),
  };
}

// ---------------------------------------------------------------------------------------------
// 3. provision

interface ProvisionResults {
  tenants: number;
  concurrency: number;
  slugPrefix: string;
  totalS: number;
  perTenantMeanS: number;
  requestMs: { p50: number; p90: number; max: number; mean: number };
  active: number;
  notActive: { slug: string; httpStatus: number | null; status: string | null; detail: string }[];
  platformCpu: CpuSplit | null;
}

async function benchProvision(p: PlatformProcess, o: { tenants: number; concurrency: number }): Promise<ProvisionResults> {
  const run = Date.now().toString(36);
  const slugPrefix = `bench-${run}`;
  log(`provision: ${o.tenants} tenants (${slugPrefix}-<i>), ${o.concurrency} in flight...`);
  const results: { slug: string; ms: number; httpStatus: number | null; status: string | null; detail: string }[] = [];
  let next = 0;
  const cpu0 = treeCpu(p.pid);
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: o.concurrency }, async () => {
      while (next < o.tenants) {
        const i = next++;
        const slug = `${slugPrefix}-${i}`;
        const t = performance.now();
        try {
          const res = await fetch(`${GATEWAY}/api/v1/platform/tenants`, {
            method: "POST",
            headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
            body: JSON.stringify({ slug, name: `Bench ${run} ${i}`, ownerEmail: `owner@${slug}.test`, plan: "starter", currency: "USD" }),
            signal: AbortSignal.timeout(120_000),
          });
          const text = await res.text();
          let body: { status?: string; services?: { service: string; status: string; error: string | null }[] } = {};
          try {
            body = JSON.parse(text) as typeof body;
          } catch {
            /* not JSON */
          }
          const failed = (body.services ?? []).filter((s) => s.status !== "ready").map((s) => `${s.service}: ${s.error ?? s.status}`);
          results.push({
            slug,
            ms: performance.now() - t,
            httpStatus: res.status,
            status: body.status ?? null,
            detail: res.ok ? failed.join("; ") : text.slice(0, 300),
          });
        } catch (err) {
          results.push({ slug, ms: performance.now() - t, httpStatus: null, status: null, detail: (err as Error).message });
        }
      }
    }),
  );
  const totalMs = performance.now() - t0;
  const cpu1 = treeCpu(p.pid);
  const ms = Float64Array.from(results.map((r) => r.ms)).sort();
  const notActive = results.filter((r) => r.status !== "active").map(({ slug, httpStatus, status, detail }) => ({ slug, httpStatus, status, detail }));
  return {
    tenants: o.tenants,
    concurrency: o.concurrency,
    slugPrefix,
    totalS: secs(totalMs),
    perTenantMeanS: round(totalMs / 1000 / o.tenants, 3),
    requestMs: { p50: round(pct(ms, 50), 1), p90: round(pct(ms, 90), 1), max: round(ms[ms.length - 1] ?? NaN, 1), mean: round(ms.reduce((a, b) => a + b, 0) / (ms.length || 1), 1) },
    active: results.length - notActive.length,
    notActive,
    platformCpu: cpuDelta(cpu0, cpu1),
  };
}

// ---------------------------------------------------------------------------------------------
// main

const verdict = (ok: boolean) => (ok ? "PASS" : "MISS");

function report(machine: Record<string, unknown>, start?: StartResults, read?: ReadResults, prov?: ProvisionResults, loadAfter?: number[]): string {
  const out: string[] = [""];
  const m = machine as { cpus: number; cpuModel: string; memGiB: number; os: string; node: string; loadBefore: number[] };
  out.push("Bazaar bench", "");
  out.push(`  machine   ${m.cpus} CPUs (${m.cpuModel}), ${m.memGiB} GiB RAM, ${m.os}, Node ${m.node}`);
  out.push(`  load avg  before ${m.loadBefore.join(" / ")}   after ${loadAfter?.join(" / ") ?? "?"}   (1 / 5 / 15 min)`, "");
  if (start) {
    out.push(`1. pnpm start -> "Bazaar is running" (BAZAAR_APPS=true, ${DATA_DIR_NAME}, gateway :${PORTS.GATEWAY_PORT})`);
    if (start.warmupBuiltApps) out.push("   (the first start built the Next apps; the fresh figure is from a second fresh start)");
    const rows: (string | number)[][] = [["run", "ready (s)", "runner says (s)", "postgres up", "services up", "seeded", "stop (s)", "load 1m"]];
    const f = (n: number | null) => (n === null ? "-" : n.toFixed(2));
    for (const r of [start.fresh, ...start.warm]) {
      rows.push([r.label, f(r.readyS), f(r.selfReportedS), f(r.phases.postgresS), f(r.phases.servicesS), f(r.phases.seededS), f(r.stopS), r.loadBefore[0]]);
    }
    out.push(table(rows));
    out.push(`  median of ${start.warm.length} warm starts: ${start.medianWarmS.toFixed(2)} s   (target <= ${TARGETS.startS} s)`);
    out.push("  milestones are seconds after spawn; 'runner says' is the runner's own 'ready in' (excludes loading the code)", "");
  }
  if (read) {
    out.push(`2. GET /api/v1/products/classic-tee, X-Tenant: acme; ${read.connections} connections, ${read.durationS} s after a ${read.warmupS} s warm-up`);
    const l = read.latencyMs;
    out.push(
      table([
        ["req/s", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms", "mean ms", "non-2xx", "errors", "timeouts"],
        [read.requestsPerSec, l.p50, l.p90, l.p99, l.p99_9, l.max, l.mean, read.non2xx, read.errors, read.timeouts],
      ]),
    );
    const a = read.autocannonLatencyMs;
    out.push(`  autocannon's own histogram (whole ms): p50 ${a.p50}, p90 ${a.p90}, p99 ${a.p99}, p99.9 ${a.p99_9}, max ${a.max}; ${read.requestsTotal} requests`);
    const c = read.platformCpu;
    out.push(
      `  CPU over the ${read.durationS} s: platform node ${c?.nodeS ?? "?"} s + Postgres ${c?.postgresS ?? "?"} s, autocannon (this process) ${read.benchCpuS} s; ${m.cpus * read.durationS} s available`,
    );
    if (c && read.requestsTotal) {
      out.push(`  per request: ${round((c.nodeS * 1000) / read.requestsTotal, 3)} ms node CPU, ${round((c.postgresS * 1000) / read.requestsTotal, 3)} ms Postgres CPU`);
    }
    out.push(`  worst latency per second (ms): ${read.perSecond.map((b) => Math.round(b.max)).join(" ")}`);
    out.push(`  p99 ${l.p99} ms   (target <= ${TARGETS.readP99Ms} ms)`, "");
  }
  if (prov) {
    out.push(`3. POST /api/v1/platform/tenants x ${prov.tenants}, ${prov.concurrency} in flight (${prov.slugPrefix}-<i>)`);
    const q = prov.requestMs;
    out.push(
      table([
        ["total s", "per tenant s", "active", "not active", "req p50 ms", "req p90 ms", "req max ms", "node CPU s", "Postgres CPU s"],
        [
          prov.totalS.toFixed(2),
          prov.perTenantMeanS.toFixed(3),
          prov.active,
          prov.notActive.length,
          q.p50,
          q.p90,
          q.max,
          prov.platformCpu?.nodeS ?? "?",
          prov.platformCpu?.postgresS ?? "?",
        ],
      ]),
    );
    for (const n of prov.notActive.slice(0, 5)) out.push(`  not active: ${n.slug} http ${n.httpStatus ?? "-"} status ${n.status ?? "-"} ${n.detail}`);
    out.push(`  total ${prov.totalS.toFixed(2)} s   (target <= ${TARGETS.provisionS} s)`, "");
  }
  out.push("Summary");
  const rows: (string | number)[][] = [["target", "figure", "goal", "result"]];
  if (start) {
    rows.push(["pnpm start ready, warm (median)", `${start.medianWarmS.toFixed(2)} s`, `<= ${TARGETS.startS} s`, verdict(start.medianWarmS <= TARGETS.startS)]);
    rows.push(["pnpm start ready, fresh data dir", `${start.fresh.readyS.toFixed(2)} s`, "(info)", ""]);
  }
  if (read) {
    const ok = read.latencyMs.p99 <= TARGETS.readP99Ms && read.non2xx === 0 && read.errors === 0;
    rows.push(["product read p99 @ " + read.connections + " conns", `${read.latencyMs.p99} ms`, `<= ${TARGETS.readP99Ms} ms`, verdict(ok)]);
    rows.push(["product read throughput", `${read.requestsPerSec} req/s`, "(info)", ""]);
  }
  if (prov) {
    const ok = prov.totalS <= TARGETS.provisionS && prov.active === prov.tenants;
    rows.push([`provision ${prov.tenants} tenants`, `${prov.totalS.toFixed(2)} s`, `<= ${TARGETS.provisionS} s`, verdict(ok)]);
  }
  out.push(table(rows), "");
  return out.join("\n");
}

let cleaning: Promise<void> | undefined;
function cleanup(keepData: boolean): Promise<void> {
  cleaning ??= (async () => {
    loadInFlight?.stop();
    for (const p of [...live]) await p.stop().catch((err) => log(`stopping ${p.label} failed: ${(err as Error).message}`));
    if (keepData) return;
    try {
      if (fs.existsSync(DATA_DIR)) {
        wipeDataDir();
        log(`removed ${DATA_DIR_NAME}`);
      }
    } catch (err) {
      log(`could not remove ${DATA_DIR_NAME}: ${(err as Error).message}`);
    }
  })();
  return cleaning;
}

// Last resort: never leave a platform behind, even on an unexpected exit.
process.on("exit", () => {
  if (!live.size) return;
  for (const p of live) killGroup(p.pid, "SIGKILL");
  // Postgres may run in a process group of its own; SIGQUIT is its immediate shutdown.
  const pm = postmasterPid();
  if (pm) signal(pm, "SIGQUIT");
});

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      only: { type: "string", multiple: true },
      runs: { type: "string", default: "3" },
      tenants: { type: "string", default: "100" },
      concurrency: { type: "string", default: "4" },
      connections: { type: "string", default: "50" },
      duration: { type: "string", default: "10" },
      verbose: { type: "boolean", default: false },
      "keep-data": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    process.stdout.write(
      "usage: pnpm bench [--only start|read|provision]... [--runs 3] [--tenants 100] [--concurrency 4]\n" +
        "                  [--connections 50] [--duration 10] [--verbose] [--keep-data]\n",
    );
    return 0;
  }
  const only = (values.only ?? []).flatMap((s) => s.split(",")).map((s) => s.trim());
  for (const s of only) if (!(SECTIONS as readonly string[]).includes(s)) throw new Error(`--only ${s}: expected one of ${SECTIONS.join(", ")}`);
  const want = (s: Section) => only.length === 0 || only.includes(s);
  const int = (name: string, v: string, min: number) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} ${v}: expected an integer >= ${min}`);
    return n;
  };
  const opts = {
    runs: int("runs", values.runs, 1),
    tenants: int("tenants", values.tenants, 1),
    concurrency: int("concurrency", values.concurrency, 1),
    connections: int("connections", values.connections, 1),
    durationS: int("duration", values.duration, 1),
    verbose: values.verbose,
    keepData: values["keep-data"],
  };

  const cpus = os.cpus();
  const machine = {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? "?",
    memGiB: round(os.totalmem() / 2 ** 30, 1),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    loadBefore: loadavg(),
  };
  log(`${machine.cpus} CPUs, load average ${machine.loadBefore.join(" / ")}`);

  // Preflight: our ports must be free and no Postgres may still hold the bench data dir.
  const ports = [PORTS.GATEWAY_PORT, PORTS.EMBEDDED_PG_PORT, ...(want("start") ? [PORTS.STOREFRONT_PORT, PORTS.ADMIN_PORT] : [])];
  for (const port of ports) if (!(await portFree(port))) throw new Error(`port ${port} is in use (another bench or platform running?)`);
  const pm = postmasterPid();
  if (pm) throw new Error(`a Postgres (pid ${pm}) still runs on ${DATA_DIR_NAME}; stop it first`);

  let start: StartResults | undefined;
  let read: ReadResults | undefined;
  let prov: ProvisionResults | undefined;
  if (want("start")) start = await benchStart(opts.runs, opts.verbose);

  if (want("read") || want("provision")) {
    log("starting the platform for read/provision (BAZAAR_APPS=false)...");
    const boot = performance.now();
    const p = new PlatformProcess("platform", false, opts.verbose);
    await p.waitFor(/Bazaar is running/, 5 * 60_000);
    log(`platform ready in ${secs(performance.now() - boot)} s`);
    await sleep(1_000);
    if (want("read")) {
      read = await benchRead(p, { connections: opts.connections, durationS: opts.durationS });
      log(`read: ${read.requestsPerSec} req/s, p99 ${read.latencyMs.p99} ms`);
    }
    if (want("provision")) {
      await sleep(1_000);
      prov = await benchProvision(p, { tenants: opts.tenants, concurrency: opts.concurrency });
      log(`provision: ${prov.totalS} s, ${prov.active}/${prov.tenants} active`);
    }
    await p.stop();
  }

  if (interrupted) return 130;
  const loadAfter = loadavg();
  process.stdout.write(report(machine, start, read, prov, loadAfter) + "\n");

  const json = {
    at: new Date().toISOString(),
    machine: { ...machine, loadAfter },
    ports: PORTS,
    targets: TARGETS,
    start: start ?? null,
    read: read ?? null,
    provision: prov ?? null,
    pass: {
      start: start ? start.medianWarmS <= TARGETS.startS : null,
      read: read ? read.latencyMs.p99 <= TARGETS.readP99Ms && read.non2xx === 0 && read.errors === 0 : null,
      provision: prov ? prov.totalS <= TARGETS.provisionS && prov.active === prov.tenants : null,
    },
  };
  fs.mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  fs.writeFileSync(RESULTS_FILE, JSON.stringify(json, null, 2) + "\n");
  log(`results written to ${path.relative(ROOT, RESULTS_FILE)}`);
  await cleanup(opts.keepData);
  return 0;
}

const keepDataFlag = process.argv.includes("--keep-data");
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.once(sig, () => {
    interrupted = true;
    log(`${sig}: stopping the platform and cleaning up...`);
    void cleanup(keepDataFlag).finally(() => process.exit(130));
  });
}

let code: number;
try {
  code = await main();
} catch (err) {
  if (!interrupted) process.stderr.write(`[bench] failed: ${(err as Error).stack ?? String(err)}\n`);
  code = interrupted ? 130 : 1;
} finally {
  await cleanup(keepDataFlag);
}
process.exit(code);
