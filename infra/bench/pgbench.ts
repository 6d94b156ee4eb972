/**
 * Replaying the SQL of one request with pgbench, to compare the platform with what Postgres alone
 * can do for the same statements on this machine.
 *
 * A platform process started with `installCapture` records the statements it sends while capture
 * is on (the kit's statement observer; SIGUSR2 toggles it). Observing makes postgres-js keep a stack
 * per query, so the measured run must be a process without it. `pgbenchScripts` turns them into one pgbench
 * script per database: parameters inlined as literals, and every id of the captured request (ULIDs,
 * the bench's idempotency keys) replaced by pgbench variables drawn per transaction, so each replay
 * inserts new rows like a new checkout would. Only statements sent while serving the request (its
 * trace id, which every service hop carries) are kept: event consumers and background jobs (the
 * outbox relays, recovery) run apart from it.
 *
 * `runPgbench` runs each database's script alone (pgbench -n -c N -j 2 -T s), with the outbox relay
 * lease held as a draining relay holds it under load (so writers skip NOTIFY there too), and reports its
 * transactions per second; one request needs one pass of every script, so Postgres's ceiling for
 * the request is 1 / sum(1 / tps) requests per second when it has the machine to itself.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export interface Captured {
  db: string;
  query: string;
  params: unknown[];
  traceId: string | null;
}

/** In the platform process: record statements between two SIGUSR2 signals, then write them to `file`. */
export async function installCapture(file: string): Promise<void> {
  const { observeStatements } = await import("../../packages/service-kit/src/db/index.ts");
  let captured: Captured[] | undefined;
  observeStatements({
    active: () => captured !== undefined,
    record: (url, query, params, traceId) => captured?.push({ db: new URL(url).pathname.slice(1), query, params: [...params], traceId: traceId ?? null }),
  });
  process.on("SIGUSR2", () => {
    if (!captured) {
      captured = [];
      return;
    }
    fs.writeFileSync(file, JSON.stringify(captured));
    captured = undefined;
  });
}

/** Ids the platform made for the request (prefix_ULID) and the bench's idempotency keys. */
const IDS = /\b[a-z]{2,5}_[0-9a-z]{26}\b|bench-[0-9a-z]+-\d+/g;

/** pgbench scripts (one per database, in the order the statements were sent) for the captured request. */
export function pgbenchScripts(captured: Captured[], traceId: string, opts: { pick?: { value: string; from: string[] }[] } = {}): Map<string, string> {
  const vars = new Map<string, string>();
  // Values a real run spreads over many (the SKU a cart holds): drawn per transaction from the set.
  const picks = new Map((opts.pick ?? []).map((p, i) => [p.value, { name: `p${i}`, from: p.from }]));
  const pattern = new RegExp([IDS.source, ...[...picks.keys()].map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))].join("|"), "g");
  const varOf = (id: string) => {
    let v = vars.get(id);
    if (!v) vars.set(id, (v = `u${vars.size}`));
    return v;
  };
  /** A string as an SQL expression, each id in it replaced by its per-transaction variable. */
  const literal = (s: string) => {
    const parts: string[] = [];
    let last = 0;
    for (const m of s.matchAll(pattern)) {
      parts.push(quote(s.slice(last, m.index)));
      const pick = picks.get(m[0]);
      if (pick) parts.push(`(array[${pick.from.map(quote).join(", ")}])[:${pick.name}]`);
      else {
        const prefix = m[0].startsWith("bench-") ? "bench-" : m[0].slice(0, m[0].indexOf("_") + 1);
        parts.push(`${quote(prefix)} || :${varOf(m[0])}`);
      }
      last = m.index! + m[0].length;
    }
    parts.push(quote(s.slice(last)));
    const nonEmpty = parts.filter((p) => p !== "''");
    return nonEmpty.length === 0 ? "''" : nonEmpty.length === 1 ? nonEmpty[0]! : `(${nonEmpty.join(" || ")})`;
  };
  const value = (v: unknown): string => {
    if (v === null || v === undefined) return "null";
    if (typeof v === "number" || typeof v === "bigint") return String(v);
    if (typeof v === "boolean") return v ? "true" : "false";
    if (v instanceof Date) return quote(v.toISOString());
    if (Array.isArray(v)) return literal(`{${v.map((x) => (x === null ? "NULL" : `"${String(x).replace(/["\\]/g, (c) => `\\${c}`)}"`)).join(",")}}`);
    if (typeof v === "object") return literal(JSON.stringify(v));
    return literal(String(v));
  };
  const scripts = new Map<string, string[]>();
  for (const c of captured) {
    if (c.traceId !== traceId) continue;
    const sqlText = c.query.replace(/\$(\d+)/g, (_, n: string) => value(c.params[Number(n) - 1])).replace(/\s+/g, " ").trim();
    const lines = scripts.get(c.db) ?? [];
    lines.push(`${sqlText};`);
    scripts.set(c.db, lines);
  }
  const header = [...[...vars.values()].map((v) => `\\set ${v} random(1, 9000000000000000000)`), ...[...picks.values()].map((p) => `\\set ${p.name} random(1, ${p.from.length})`)];
  return new Map([...scripts].map(([db, lines]) => [db, [...header, ...lines].join("\n") + "\n"]));
}

export interface PgbenchResult {
  db: string;
  statements: number;
  tps: number;
  latencyMs: number;
}

/** Run each database's script alone with pgbench. */
export async function runPgbench(serverUrl: string, scripts: Map<string, string>, opts: { clients: number; seconds: number; reportDir?: string }): Promise<PgbenchResult[]> {
  const found = await new Promise<boolean>((resolve) => execFile("pgbench", ["--version"], (err) => resolve(!err)));
  if (!found) throw new Error("pgbench is not installed (Debian: postgresql-client)");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bazaar-pgbench-"));
  const u = new URL(serverUrl);
  const out: PgbenchResult[] = [];
  try {
    for (const [db, script] of scripts) {
      const file = path.join(dir, `${db}.sql`);
      fs.writeFileSync(file, script);
      const args = ["-n", "-r", "-c", String(opts.clients), "-j", "2", "-T", String(opts.seconds), "-f", file, "-h", u.hostname, "-p", u.port || "5432", "-U", decodeURIComponent(u.username || "postgres"), db];
      // As under load, where a relay is draining the outbox and writers skip NOTIFY (kit tenancy's SHARED_SQL).
      await psql(u, db, "update public.bazaar_outbox_relay set draining_until = 'infinity'");
      const text = await new Promise<string>((resolve, reject) =>
        execFile("pgbench", args, { env: { ...process.env, ...(u.password ? { PGPASSWORD: decodeURIComponent(u.password) } : {}) }, maxBuffer: 16 << 20 }, (err, stdout, stderr) =>
          err ? reject(new Error(`pgbench ${db}: ${stderr || err.message}`)) : resolve(stdout),
        ),
      );
      await psql(u, db, "update public.bazaar_outbox_relay set draining_until = '-infinity'");
      // The script and pgbench's report with per-statement latencies (-r), for looking into a slow one.
      if (opts.reportDir) fs.writeFileSync(path.join(opts.reportDir, `pgbench-${db}.txt`), `${script}\n${text}`);
      const tps = Number(/tps = ([\d.]+)/.exec(text)?.[1]);
      const latencyMs = Number(/latency average = ([\d.]+) ms/.exec(text)?.[1]);
      out.push({ db, statements: script.split("\n").filter((l) => l && !l.startsWith("\\")).length, tps, latencyMs });
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

/** Requests per second Postgres could serve if it only ran these scripts, one pass each per request. */
export function ceiling(results: PgbenchResult[]): number {
  return 1 / results.reduce((sum, r) => sum + 1 / r.tps, 0);
}

function psql(u: URL, db: string, command: string): Promise<void> {
  const args = ["-X", "-q", "-h", u.hostname, "-p", u.port || "5432", "-U", decodeURIComponent(u.username || "postgres"), "-d", db, "-c", command];
  return new Promise((resolve, reject) =>
    execFile("psql", args, { env: { ...process.env, ...(u.password ? { PGPASSWORD: decodeURIComponent(u.password) } : {}) } }, (err, _out, stderr) => (err ? reject(new Error(`psql ${db}: ${stderr || err.message}`)) : resolve())),
  );
}

function quote(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}
