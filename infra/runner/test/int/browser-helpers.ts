import fs from "node:fs";
import { chromium, type Browser } from "playwright-core";
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The monorepo root (this file is infra/runner/test/int/). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export interface RunningPlatform {
  child: ChildProcess;
  /** Everything the platform printed so far (stdout and stderr, interleaved). */
  output: () => string;
}

/**
 * Start the real platform (`pnpm start`'s entry) as its own process group; resolves when it
 * prints "Bazaar is running". `env` is layered over the test's environment (minus any
 * DATABASE_URL / KAFKA_BROKERS, so the embedded profile is used).
 */
export function startPlatform(env: Record<string, string>, timeoutMs: number): Promise<RunningPlatform> {
  const cleanEnv = { ...process.env };
  delete cleanEnv.DATABASE_URL;
  delete cleanEnv.KAFKA_BROKERS;
  const child = spawn(path.join(ROOT, "node_modules/.bin/tsx"), ["infra/runner/src/cli.ts", "start"], {
    cwd: ROOT,
    env: { ...cleanEnv, ...env },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const output = () => out;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(Object.assign(new Error(`platform not ready in ${timeoutMs / 1000} s:\n${out}`), { child }));
    }, timeoutMs);
    // Keep draining both pipes for the platform's whole life (a full pipe would block it).
    const onData = (d: Buffer) => {
      out += d.toString();
      if (out.length > 200_000) out = out.slice(-100_000);
      if (out.includes("Bazaar is running")) {
        clearTimeout(timer);
        resolve({ child, output });
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`platform exited (${code ?? signal}) before ready:\n${out}`));
    });
  });
}

/** Signal the whole process group and wait for the leader to exit; SIGKILL the group after `graceMs`. */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals, graceMs = 30_000): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const hard = setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        /* already gone */
      }
    }, graceMs);
    child.once("exit", () => {
      clearTimeout(hard);
      resolve();
    });
    try {
      process.kill(-child.pid!, signal);
    } catch {
      clearTimeout(hard);
      resolve();
    }
  });
}

/** `#fff7ed` -> `rgb(255, 247, 237)`, the form getComputedStyle reports. */
export function hexToRgb(hex: string): string {
  const h = hex.replace(/^#/, "");
  const full = h.length === 3 ? [...h].map((c) => c + c).join("") : h;
  const n = Number.parseInt(full, 16);
  return `rgb(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255})`;
}

/** Debian's Chromium, as INFRA.md says it runs here (no sandbox as root, no background networking). */
export const CHROMIUM = "/usr/bin/chromium";

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
  });
}

/**
 * End of an end-to-end suite: close the browser, stop the platform's process group, keep its output
 * in `logFile` for a failure's post-mortem, and remove the suite's temp dir.
 */
export async function stopEndToEnd(opts: { browser: Browser | undefined; child: ChildProcess | undefined; platform: RunningPlatform | undefined; logFile: string; tmp: string; tag: string }): Promise<void> {
  await opts.browser?.close().catch(() => {});
  if (opts.child) await killGroup(opts.child, "SIGINT");
  if (opts.platform) {
    fs.mkdirSync(path.dirname(opts.logFile), { recursive: true });
    fs.writeFileSync(opts.logFile, opts.platform.output());
    console.log(`[${opts.tag}] platform output: ${opts.logFile}`);
  }
  fs.rmSync(opts.tmp, { recursive: true, force: true });
}
