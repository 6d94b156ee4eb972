// Prints how long identity's argon2id takes on this machine: one hash, and a verify (what a login
// pays), alone and with two at once (2 cores). `pnpm --filter @bazaar/identity bench:argon2`
import { createPasswords } from "../src/modules/accounts/passwords.ts";
import { DEFAULT_PASSWORD_PARAMS } from "../src/settings.ts";

const passwords = createPasswords(DEFAULT_PASSWORD_PARAMS);
const runs = Number(process.env.RUNS ?? 100);
const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!.toFixed(1);

async function timed(fn: () => Promise<unknown>, concurrency: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i += concurrency) {
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        const t = performance.now();
        await fn();
        out.push(performance.now() - t);
      }),
    );
  }
  return out.sort((a, b) => a - b);
}

const stored = await passwords.hash("correct horse battery staple");
console.log(`argon2id m=${DEFAULT_PASSWORD_PARAMS.memoryCost} KiB t=${DEFAULT_PASSWORD_PARAMS.timeCost} p=${DEFAULT_PASSWORD_PARAMS.parallelism}, ${runs} runs`);
for (const [label, fn] of [
  ["hash", () => passwords.hash("correct horse battery staple")],
  ["verify", () => passwords.verify(stored, "correct horse battery staple")],
] as const) {
  for (const concurrency of [1, 2]) {
    const t = await timed(fn, concurrency);
    console.log(`${label.padEnd(6)} x${concurrency}: p50 ${pct(t, 50)} ms  p99 ${pct(t, 99)} ms  max ${pct(t, 100)} ms`);
  }
}
