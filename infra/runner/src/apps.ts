import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

function newestMtime(dir: string): number {
  let newest = 0;
  if (!fs.existsSync(dir)) return 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name === ".next" || entry.name.startsWith(".")) continue;
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

/** Build a Next app when it has never been built or its sources (or shared packages) changed since. */
export function ensureBuilt(root: string, app: string, log: (s: string) => void): void {
  const dir = path.join(root, "apps", app);
  const buildId = path.join(dir, ".next", "BUILD_ID");
  const built = fs.existsSync(buildId) ? fs.statSync(buildId).mtimeMs : 0;
  const sources = Math.max(newestMtime(dir), newestMtime(path.join(root, "packages", "ui")), newestMtime(path.join(root, "packages", "sdk")));
  if (built > sources) return;
  log(`building ${app} (first start or sources changed)...`);
  const r = spawnSync(process.execPath, [require_next(dir), "build"], { cwd: dir, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
  if (r.status !== 0) throw new Error(`next build of ${app} failed:\n${r.stdout}\n${r.stderr}`);
}

function require_next(dir: string): string {
  return path.join(dir, "node_modules", "next", "dist", "bin", "next");
}

export function startApp(root: string, app: string, port: number, env: Record<string, string>, onExit?: (code: number | null) => void): ChildProcess {
  const dir = path.join(root, "apps", app);
  const child = spawn(process.execPath, [require_next(dir), "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: dir,
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env },
  });
  child.stderr?.on("data", (d: Buffer) => process.stderr.write(`[${app}] ${d}`));
  child.once("exit", (code) => onExit?.(code));
  return child;
}

/** Resolves when the URL answers (any status), or rejects after `ms`. */
export async function waitForHttp(url: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      await fetch(url, { signal: AbortSignal.timeout(1_000) });
      return;
    } catch {
      if (Date.now() > end) throw new Error(`${url} did not answer within ${ms} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** Resolves when the URL answers 2xx (a service's /ready), or rejects after `ms`. */
export async function waitForReady(url: string, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(1_000) })).ok) return;
    } catch {
      /* not up yet */
    }
    if (Date.now() > end) throw new Error(`${url} was not ready within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
