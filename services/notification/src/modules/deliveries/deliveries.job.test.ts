import { describe, expect, it } from "vitest";
import { backoffMs } from "./deliveries.job.ts";

describe("backoff", () => {
  it("doubles from the base and stops at the cap", () => {
    const p = { maxAttempts: 6, baseMs: 30_000, maxMs: 3_600_000 };
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9].map((a) => backoffMs(p, a))).toEqual([30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000, 3_600_000, 3_600_000]);
  });
});
