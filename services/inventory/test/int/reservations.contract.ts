import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ReservationStore } from "../../src/app.ts";
import { AppError } from "@bazaar/service-kit/errors";

/** What an implementation hands the contract suite. */
export interface ReservationFixture {
  store: ReservationStore;
  /** A fresh, empty store (tenant) id. */
  tenant(): Promise<string>;
  setStock(tenantId: string, sku: string, onHand: number, location?: string): Promise<void>;
  level(tenantId: string, sku: string, location?: string): Promise<{ onHand: number; reserved: number }>;
  stop(): Promise<void>;
}

async function refusal(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error("expected a refusal");
}

/** The behaviour every ReservationStore must have (Postgres always; MongoDB when one is reachable). */
export function reservationContract(name: string, setup: () => Promise<ReservationFixture>): void {
  describe(`reservations contract: ${name}`, () => {
    let f: ReservationFixture;
    let t: string;
    beforeAll(async () => {
      f = await setup();
    });
    afterAll(async () => f?.stop());

    it("200 concurrent one-unit reservations of a SKU with 50 in stock: exactly 50 succeed, never below zero", async () => {
      t = await f.tenant();
      await f.setStock(t, "HOT-1", 50);
      let watching = true;
      const seen: number[] = [];
      const watch = (async () => {
        while (watching) {
          const l = await f.level(t, "HOT-1");
          seen.push(l.onHand - l.reserved);
          await new Promise((r) => setTimeout(r, 5));
        }
      })();
      const results = await Promise.allSettled(Array.from({ length: 200 }, (_, i) => f.store.reserve(t, { orderId: `ord-hot-${i}`, lines: [{ sku: "HOT-1", quantity: 1 }], ttlSeconds: 600 })));
      watching = false;
      await watch;
      const ok = results.filter((r) => r.status === "fulfilled");
      const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
      expect(ok).toHaveLength(50);
      expect(failed).toHaveLength(150);
      for (const r of failed) {
        expect(r.reason).toBeInstanceOf(AppError);
        expect((r.reason as AppError).code).toBe("out_of_stock");
        expect((r.reason as AppError).errors?.[0]?.message).toMatch(/HOT-1/);
      }
      const end = await f.level(t, "HOT-1");
      expect(end).toEqual({ onHand: 50, reserved: 50 });
      expect(Math.min(...seen)).toBeGreaterThanOrEqual(0);
    });

    it("reserves all lines or none, naming every short line", async () => {
      t = await f.tenant();
      await f.setStock(t, "A-1", 5);
      await f.setStock(t, "B-1", 1);
      await f.setStock(t, "C-1", 0);
      const err = await refusal(f.store.reserve(t, { orderId: "ord-multi", lines: [{ sku: "A-1", quantity: 2 }, { sku: "C-1", quantity: 1 }, { sku: "B-1", quantity: 2 }, { sku: "NOPE", quantity: 1 }], ttlSeconds: 60 }));
      expect(err.code).toBe("out_of_stock");
      expect(err.errors?.map((e) => e.path).sort()).toEqual(["lines.1", "lines.2", "lines.3"]);
      expect(await f.level(t, "A-1")).toEqual({ onHand: 5, reserved: 0 });
      expect(await f.store.get(t, "ord-multi")).toBeUndefined();
      // Repeated lines are summed, in whatever order they come.
      const { reservation, created } = await f.store.reserve(t, { orderId: "ord-multi", lines: [{ sku: "B-1", quantity: 1 }, { sku: "A-1", quantity: 2 }, { sku: "A-1", quantity: 3 }], ttlSeconds: 60 });
      expect(created).toBe(true);
      expect(reservation.status).toBe("held");
      expect(reservation.lines).toEqual([
        { sku: "A-1", location: "default", quantity: 5 },
        { sku: "B-1", location: "default", quantity: 1 },
      ]);
      expect(await f.level(t, "A-1")).toEqual({ onHand: 5, reserved: 5 });
      expect(await f.level(t, "B-1")).toEqual({ onHand: 1, reserved: 1 });
    });

    it("is idempotent by order id: reserve, commit and release repeat without effect", async () => {
      t = await f.tenant();
      await f.setStock(t, "IDEM-1", 10);
      const first = await f.store.reserve(t, { orderId: "ord-idem", lines: [{ sku: "IDEM-1", quantity: 3 }], ttlSeconds: 60 });
      const again = await f.store.reserve(t, { orderId: "ord-idem", lines: [{ sku: "IDEM-1", quantity: 3 }], ttlSeconds: 60 });
      expect(first.created).toBe(true);
      expect(again.created).toBe(false);
      expect(again.reservation.orderId).toBe("ord-idem");
      expect(await f.level(t, "IDEM-1")).toEqual({ onHand: 10, reserved: 3 });
      const concurrent = await Promise.all(Array.from({ length: 10 }, () => f.store.reserve(t, { orderId: "ord-idem-2", lines: [{ sku: "IDEM-1", quantity: 1 }], ttlSeconds: 60 })));
      expect(concurrent.filter((r) => r.created)).toHaveLength(1);
      expect(await f.level(t, "IDEM-1")).toEqual({ onHand: 10, reserved: 4 });

      expect((await f.store.commit(t, "ord-idem")).status).toBe("committed");
      expect((await f.store.commit(t, "ord-idem")).status).toBe("committed");
      expect(await f.level(t, "IDEM-1")).toEqual({ onHand: 7, reserved: 1 });
      expect((await refusal(f.store.release(t, "ord-idem"))).code).toBe("conflict");

      expect((await f.store.release(t, "ord-idem-2")).status).toBe("released");
      expect((await f.store.release(t, "ord-idem-2")).status).toBe("released");
      expect(await f.level(t, "IDEM-1")).toEqual({ onHand: 7, reserved: 0 });
      expect((await refusal(f.store.commit(t, "ord-idem-2"))).code).toBe("conflict");
      expect((await refusal(f.store.commit(t, "ord-none"))).code).toBe("not_found");
    });

    it("expiry releases held reservations past their expiry, once", async () => {
      t = await f.tenant();
      await f.setStock(t, "EXP-1", 4);
      await f.store.reserve(t, { orderId: "ord-exp-short", lines: [{ sku: "EXP-1", quantity: 2 }], ttlSeconds: 1 });
      await f.store.reserve(t, { orderId: "ord-exp-long", lines: [{ sku: "EXP-1", quantity: 1 }], ttlSeconds: 3600 });
      await f.store.reserve(t, { orderId: "ord-exp-paid", lines: [{ sku: "EXP-1", quantity: 1 }], ttlSeconds: 1 });
      await f.store.commit(t, "ord-exp-paid");
      const later = new Date(Date.now() + 60_000);
      const [a, b] = await Promise.all([f.store.expire(later), f.store.expire(later)]);
      expect((a ?? 0) + (b ?? 0)).toBeGreaterThanOrEqual(1);
      expect((await f.store.get(t, "ord-exp-short"))?.status).toBe("expired");
      expect((await f.store.get(t, "ord-exp-long"))?.status).toBe("held");
      expect((await f.store.get(t, "ord-exp-paid"))?.status).toBe("committed");
      expect(await f.level(t, "EXP-1")).toEqual({ onHand: 3, reserved: 1 });
      expect(await f.store.expire(later)).toBe(0);
      expect((await f.store.release(t, "ord-exp-short")).status).toBe("expired");
      expect((await refusal(f.store.commit(t, "ord-exp-short"))).code).toBe("conflict");
    });
  });
}
