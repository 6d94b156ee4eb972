/**
 * Identity targets (issue 3): what token verification adds at the gateway, and password-grant login
 * latency (argon2id included). Runs the platform in this process on a throwaway embedded Postgres.
 *
 * Usage: pnpm bench:auth [--verifications 5000] [--logins 200]
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { createServiceClient } from "../../packages/service-kit/src/clients/index.ts";
import { startEmbeddedPostgres } from "../../packages/service-kit/src/db/index.ts";
import { InProcessBus } from "../../packages/service-kit/src/events/index.ts";
import { createLogger } from "../../packages/service-kit/src/logging/index.ts";
import { TokenVerifier } from "../../services/gateway/src/auth/verifier.ts";
import { createPlatform } from "../runner/src/platform.ts";

const { values } = parseArgs({ options: { verifications: { type: "string", default: "5000" }, logins: { type: "string", default: "200" } } });
const SECRET = "bench-internal-secret-0123456789";
const ADMIN = "bench-admin-token-0123456789";

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};
const fmt = (xs: number[]) => `p50 ${pct(xs, 50).toFixed(3)} ms  p90 ${pct(xs, 90).toFixed(3)} ms  p99 ${pct(xs, 99).toFixed(3)} ms  (n=${xs.length})`;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bazaar-bench-auth-"));
fs.chmodSync(dir, 0o755);
const pg = await startEmbeddedPostgres({ dir: path.join(dir, "pg") });
const platform = await createPlatform({ serverUrl: pg.url, bus: new InProcessBus(), logger: createLogger({ service: "bench", level: "warn" }), secret: SECRET, adminToken: ADMIN });
try {
  await platform.start();
  const api = (p: string, init: RequestInit = {}) => platform.gateway.app.request(p, init);
  await api("/api/v1/platform/tenants", {
    method: "POST",
    headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" },
    body: JSON.stringify({ slug: "bench", name: "Bench", ownerEmail: "o@bench.test", plan: "starter", currency: "USD" }),
  });
  const identity = createServiceClient({ service: "identity", target: { app: platform.services.identity!.app }, secret: SECRET });
  await identity.call("/internal/realms/bench/accounts", { method: "POST", body: { email: "o@bench.test", password: "bench-password-1", roles: ["owner"] } });
  const login = async () => {
    const t = performance.now();
    const res = await api("/auth/realms/bench/protocol/openid-connect/token", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "password", client_id: "admin", username: "o@bench.test", password: "bench-password-1" }),
    });
    if (res.status !== 200) throw new Error(`login ${res.status}`);
    const body = (await res.json()) as { access_token: string };
    return { ms: performance.now() - t, token: body.access_token };
  };

  // 1. Token verification as the gateway does it (keys cached after the first call).
  const { token } = await login();
  const verifier = new TokenVerifier({ issuerBase: "http://localhost:8080", identity });
  await verifier.verify(token);
  const verify: number[] = [];
  const uncached: number[] = [];
  const firstSight = (verifier as unknown as { verifyUncached(t: string): Promise<unknown> }).verifyUncached.bind(verifier);
  for (let i = 0; i < Number(values.verifications); i++) {
    let t = performance.now();
    await verifier.verify(token);
    verify.push(performance.now() - t);
    t = performance.now();
    await firstSight(token); // the signature check a token's first request pays
    uncached.push(performance.now() - t);
  }

  // 2. Password-grant logins through the gateway, one at a time and four at once.
  const serial: number[] = [];
  for (let i = 0; i < Number(values.logins); i++) serial.push((await login()).ms);
  const concurrent: number[] = [];
  for (let i = 0; i < Number(values.logins) / 4; i++) concurrent.push(...(await Promise.all([login(), login(), login(), login()])).map((r) => r.ms));

  console.log(`machine: ${os.cpus().length} CPUs, load ${os.loadavg().map((l) => l.toFixed(2)).join(" / ")}, Node ${process.version}`);
  console.log(`token verification, token seen before          ${fmt(verify)}   target p99 <= 1 ms`);
  console.log(`token verification, first sight (ES256 check)  ${fmt(uncached)}`);
  console.log(`password-grant login, one at a time              ${fmt(serial)}   target p99 <= 150 ms`);
  console.log(`password-grant login, four at once               ${fmt(concurrent)}`);
} finally {
  await platform.stop();
  await pg.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
