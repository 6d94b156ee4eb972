import fs from "node:fs";
import path from "node:path";
import { loadRunnerConfig } from "./config.ts";
import { ROOT, start } from "./start.ts";

const [command = "start", ...args] = process.argv.slice(2);

if (command === "start") {
  await start(args);
} else if (command === "reset") {
  const dir = path.resolve(ROOT, loadRunnerConfig(process.env).BAZAAR_DATA_DIR);
  const pid = path.join(dir, "pg", "postmaster.pid");
  if (fs.existsSync(pid)) {
    const n = Number(fs.readFileSync(pid, "utf8").split("\n")[0]);
    try {
      process.kill(n, 0);
      console.error("[bazaar] the platform seems to be running (its Postgres is up); stop it first.");
      process.exit(1);
    } catch {
      /* stale pid file */
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
  console.log(`[bazaar] removed ${path.relative(ROOT, dir) || dir}`);
} else {
  console.error(`usage: pnpm start [--processes] | pnpm reset`);
  process.exit(2);
}
