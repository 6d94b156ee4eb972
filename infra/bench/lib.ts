/**
 * What the bench scripts share: constants, number helpers, autocannon, postgres-js and ioredis
 * (resolved from the workspace packages that depend on them: infra/bench is not a package), and
 * starting the platform as a child process that prints READY.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { fileURLToPath } from "node:url";
import type { PlatformOptions } from "../runner/src/platform.ts";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const SECRET = "bench-internal-secret-0123456789";
export const ADMIN = "bench-admin-token-0123456789";
export const SERVICES = ["tenant", "identity", "catalog", "cart", "order", "payment", "inventory", "notification", "recommendation"];

export const benchLog = (name: string) => (s: string) => process.stdout.write(`[${name}] ${s}\n`);
export const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;
/** Nearest-rank percentile of an ascending array. */
export const pct = (sorted: Float64Array, p: number) => (sorted.length ? sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]! : NaN);
export const withDb = (url: string, name: string) => {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
};

/** Run `fn` over `items` with at most `n` in flight. */
export async function inParallel<T>(items: T[], n: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: n }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i]!, i);
      }
    }),
  );
}

export interface AcResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  duration: number;
  non2xx: number;
  errors: number;
}
export type Autocannon = (
  opts: Record<string, unknown>,
  cb: (err: Error | null, r: AcResult) => void,
) => { on(e: "response", f: (c: unknown, status: number, bytes: number, ms: number) => void): void };

const fromRunner = createRequire(path.join(ROOT, "infra", "runner", "package.json"));
export const autocannon = fromRunner("autocannon") as Autocannon;

export interface BenchRedis {
  connect(): Promise<void>;
  scan(cursor: string, ...args: (string | number)[]): Promise<[string, string[]]>;
  del(...keys: string[]): Promise<number>;
  disconnect(): void;
}
export const { Redis } = fromRunner("ioredis") as { Redis: new (url: string, opts?: Record<string, unknown>) => BenchRedis };

export interface Sql {
  (strings: TemplateStringsArray, ...values: unknown[]): Promise<unknown[]>;
  unsafe(query: string): Promise<unknown>;
  end(): Promise<void>;
}
export const postgres = createRequire(path.join(ROOT, "packages", "service-kit", "package.json"))("postgres") as (url: string, opts: Record<string, unknown>) => Sql;

/**
 * Start `script --serve ...args` as node itself (not the tsx wrapper, so its pid is the platform's:
 * RSS, CPU, profiles) and wait for its READY line; other lines are echoed.
 */
export async function spawnPlatform(script: string, args: string[], opts: { profile?: string; env?: NodeJS.ProcessEnv } = {}): Promise<ChildProcess> {
  const prof = opts.profile ? ["--cpu-prof", `--cpu-prof-dir=${opts.profile}`] : [];
  const child = spawn(process.execPath, [...prof, "--import", "tsx", script, "--serve", ...args], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "inherit"],
    ...(opts.env ? { env: opts.env } : {}),
  });
  await new Promise<void>((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).on("line", (l) => (l === "READY" ? resolve() : process.stdout.write(`  | ${l}\n`)));
    child.once("exit", (code) => reject(new Error(`platform exited (${code})`)));
  });
  return child;
}

/** CPU time (user + system, ms; or only the kernel's part with `system`) a process has used so far, from /proc (Linux); NaN elsewhere. */
export function processCpuMs(pid: number, part: "all" | "system" = "all"): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const [user, system] = [Number(fields[11]), Number(fields[12])];
    return ((part === "system" ? system : user + system) * 1000) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}
const CLOCK_TICKS = 100;

/**
 * Work Postgres did for the databases whose names start with `prefix`: CPU of their server
 * processes (by pid, from /proc) and committed transactions (each autocommit statement is one), so
 * a run's cost per operation can be read apart from what else the machine is doing. Take one
 * snapshot before and one after; `since` gives the difference.
 */
export async function postgresWork(admin: Sql, prefix: string): Promise<PostgresWork> {
  const backends = (await admin`select pid from pg_stat_activity where datname like ${prefix + "%"}`) as { pid: number }[];
  const stats = (await admin`select datname, xact_commit::text as commits from pg_stat_database where datname like ${prefix + "%"}`) as { datname: string; commits: string }[];
  const cpu = new Map(backends.map((b) => [b.pid, processCpuMs(b.pid) || 0]));
  const byDatabase = new Map(stats.map((r) => [r.datname.slice(prefix.length + 1), Number(r.commits)]));
  const commits = [...byDatabase.values()].reduce((a, b) => a + b, 0);
  return {
    cpu,
    commits,
    byDatabase,
    since: (before) => ({
      cpuMs: [...cpu].reduce((sum, [pid, ms]) => sum + ms - (before.cpu.get(pid) ?? 0), 0),
      commits: commits - before.commits,
      byDatabase: new Map([...byDatabase].map(([db, n]) => [db, n - (before.byDatabase.get(db) ?? 0)])),
    }),
  };
}
export interface PostgresWork {
  cpu: Map<number, number>;
  commits: number;
  /** Committed transactions per database (named without the prefix). */
  byDatabase: Map<string, number>;
  since(before: PostgresWork): { cpuMs: number; commits: number; byDatabase: Map<string, number> };
}

/**
 * The `--serve` side of a bench script: the whole platform in this process (in-process topology,
 * carts on the real Redis under `cartKeyPrefix`, databases `<prefix>_<service>`), the gateway on
 * `port`, READY on stdout, a clean stop on SIGTERM/SIGINT.
 */
export async function servePlatform(o: { database: string; prefix: string; redis: string; port: number; cartKeyPrefix: string; poolMax: number }): Promise<void> {
  const { InProcessBus } = await import("../../packages/service-kit/src/events/index.ts");
  const { createLogger } = await import("../../packages/service-kit/src/logging/index.ts");
  const { serveApp } = await import("../../packages/service-kit/src/http/index.ts");
  const { createPlatform } = await import("../runner/src/platform.ts");
  const databaseUrls = Object.fromEntries(SERVICES.map((s) => [s, withDb(o.database, `${o.prefix}_${s}`)]));
  const bus = new InProcessBus();
  const redis = new Redis(o.redis, { maxRetriesPerRequest: 2 }) as unknown as NonNullable<PlatformOptions["redis"]>;
  const platform = await createPlatform({
    serverUrl: o.database,
    databaseUrls,
    bus,
    redis,
    cart: { keyPrefix: o.cartKeyPrefix },
    logger: createLogger({ service: "bench", level: "warn" }),
    secret: SECRET,
    adminToken: ADMIN,
    poolMax: o.poolMax,
  });
  await platform.start();
  const server = await serveApp(platform.gateway.app.fetch, { port: o.port });
  process.stdout.write("READY\n");
  const stop = async () => {
    await server.close();
    await platform.stop();
    await bus.close();
    redis.disconnect();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop());
  process.on("SIGINT", () => void stop());
}
