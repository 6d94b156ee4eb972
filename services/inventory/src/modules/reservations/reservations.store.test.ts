import { describe, expect, it } from "vitest";
import { ReserveBody } from "@bazaar/contracts";
import { silentLogger } from "@bazaar/service-kit/testing";
import { ExpiryJob } from "./reservations.expiry.ts";
import { normaliseLines, shortLineErrors, type ReservationStore } from "./reservations.store.ts";

describe("normaliseLines", () => {
  it("sums repeated (sku, location) lines and sorts by sku then location, keeping the first index", () => {
    const lines = normaliseLines([
      { sku: "B", quantity: 1 },
      { sku: "A", quantity: 2, location: "shop" },
      { sku: "A", quantity: 3 },
      { sku: "B", quantity: 4, location: "default" },
    ]);
    expect(lines).toEqual([
      { sku: "A", location: "default", quantity: 3, index: 2 },
      { sku: "A", location: "shop", quantity: 2, index: 1 },
      { sku: "B", location: "default", quantity: 5, index: 0 },
    ]);
  });

  it("gives the same order whatever order the request lists lines in (no deadlocks between orders)", () => {
    const a = normaliseLines([{ sku: "X-2", quantity: 1 }, { sku: "X-10", quantity: 1 }, { sku: "x-1", quantity: 1 }]).map((l) => l.sku);
    const b = normaliseLines([{ sku: "x-1", quantity: 1 }, { sku: "X-2", quantity: 1 }, { sku: "X-10", quantity: 1 }]).map((l) => l.sku);
    expect(a).toEqual(b);
  });

  it("names short lines by their position in the request", () => {
    expect(shortLineErrors([{ sku: "A", location: "default", quantity: 3, index: 2, available: -1 }])).toEqual([{ path: "lines.2", message: "A (default): 3 requested, 0 available" }]);
  });
});

describe("ReserveBody", () => {
  it("defaults the expiry and refuses empty, fractional or malformed lines", () => {
    expect(ReserveBody.parse({ orderId: "ord_1", lines: [{ sku: "A", quantity: 1 }] }).ttlSeconds).toBe(900);
    for (const bad of [{ orderId: "ord_1", lines: [] }, { orderId: "o 1", lines: [{ sku: "A", quantity: 1 }] }, { orderId: "o", lines: [{ sku: "A", quantity: 1.5 }] }, { orderId: "o", lines: [{ sku: "A", quantity: 1 }], ttlSeconds: 0 }]) {
      expect(ReserveBody.safeParse(bad).success).toBe(false);
    }
  });
});

describe("ExpiryJob", () => {
  it("runs one pass at a time and survives a failing pass", async () => {
    let calls = 0;
    let release: () => void = () => undefined;
    const store = {
      expire: () => {
        calls++;
        if (calls === 1) return new Promise<number>((r) => (release = () => r(2)));
        return Promise.reject(new Error("db down"));
      },
    } as unknown as ReservationStore;
    const job = new ExpiryJob({ store, intervalMs: 0, logger: silentLogger() });
    const first = job.tick();
    expect(await job.tick()).toBe(0);
    release();
    expect(await first).toBe(2);
    expect(await job.tick()).toBe(0);
    expect(calls).toBe(2);
    await job.stop();
  });
});
