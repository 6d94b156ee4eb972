import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Problem, Reservation } from "@bazaar/contracts";
import { signTenantHeaders } from "@bazaar/service-kit/tenancy";
import { TEST_SECRET } from "@bazaar/service-kit/testing";
import { startInventory, type InventoryHarness, type Store } from "./harness.ts";
import { reservationContract } from "./reservations.contract.ts";

reservationContract("postgres", async () => {
  const h = await startInventory();
  const stores = new Map<string, Store>();
  let n = 0;
  return {
    store: h.service.reservations,
    async tenant() {
      const s = await h.provision(`res-pg-${++n}`);
      stores.set(s.tenantId, s);
      return s.tenantId;
    },
    async setStock(tenantId, sku, onHand, location) {
      const res = await h.call(stores.get(tenantId)!, "PUT", `/api/v1/admin/inventory/${sku}`, { onHand, ...(location ? { location } : {}) });
      if (res.status !== 200) throw new Error(`set stock: ${res.status} ${JSON.stringify(res.body)}`);
    },
    async level(tenantId, sku, location) {
      const l = await h.level(stores.get(tenantId)!, sku, location);
      return { onHand: l?.on_hand ?? 0, reserved: l?.reserved ?? 0 };
    },
    stop: () => h.stop(),
  };
});

describe("reservations over HTTP: /internal/inventory/*", () => {
  let h: InventoryHarness;
  let store: Store;
  const P = "/internal/inventory/reservations";
  beforeAll(async () => {
    h = await startInventory();
    store = await h.provision("res-http");
    expect((await h.call(store, "PUT", "/api/v1/admin/inventory/HTTP-1", { onHand: 50 })).status).toBe(200);
    expect((await h.call(store, "PUT", "/api/v1/admin/inventory/HTTP-1/threshold", { threshold: 10 })).status).toBe(200);
  });
  afterAll(async () => h?.stop());

  it("refuses callers without the internal secret, even with a signed store context", async () => {
    const res = await h.service.app.request(P, { method: "POST", headers: { ...signTenantHeaders(TEST_SECRET, store), "content-type": "application/json" }, body: JSON.stringify({ orderId: "ord-x", lines: [{ sku: "HTTP-1", quantity: 1 }] }) });
    expect(res.status).toBe(403);
  });

  it("200 concurrent checkouts' reservations for 50 units: 50 created, 150 out_of_stock problems naming the SKU", async () => {
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => h.internal(store, "POST", P, { orderId: `ord-http-${i}`, lines: [{ sku: "HTTP-1", quantity: 1 }], ttlSeconds: 60 })));
    const created = answers.filter((a) => a.status === 201);
    const refused = answers.filter((a) => a.status === 409);
    expect(created).toHaveLength(50);
    expect(refused).toHaveLength(150);
    for (const a of created) Reservation.parse(a.body);
    for (const a of refused) {
      const p = Problem.parse(a.body);
      expect(p.code).toBe("out_of_stock");
      expect(p.detail).toContain("HTTP-1");
      expect(p.errors?.[0]).toMatchObject({ path: "lines.0" });
      expect(a.headers.get("content-type")).toBe("application/problem+json");
    }
    expect(await h.level(store, "HTTP-1")).toEqual({ on_hand: 50, reserved: 50 });
    const again = await h.internal<Reservation>(store, "POST", P, { orderId: "ord-http-0", lines: [{ sku: "HTTP-1", quantity: 1 }] });
    expect(again.status).toBe(200);
  });

  it("emits reserved, low (once, when crossing the threshold), committed and released events through the outbox", async () => {
    const committed = await h.internal<Reservation>(store, "POST", `${P}/ord-http-0/commit`);
    expect(committed.status).toBe(200);
    expect(committed.body.status).toBe("committed");
    expect((await h.internal(store, "POST", `${P}/ord-http-0/commit`)).status).toBe(200);
    expect((await h.internal(store, "POST", `${P}/ord-http-1/release`)).status).toBe(200);
    expect((await h.internal(store, "POST", `${P}/ord-none/release`)).status).toBe(404);
    expect((await h.internal(store, "GET", `${P}/ord-http-1`)).body).toMatchObject({ status: "released" });
    expect(await h.events(store, "inventory.stock.reserved")).toHaveLength(50);
    expect(await h.events(store, "inventory.stock.committed")).toHaveLength(1);
    const released = await h.events(store, "inventory.stock.released");
    expect(released.map((e) => e.data)).toEqual([{ orderId: "ord-http-1", lines: [{ sku: "HTTP-1", location: "default", quantity: 1 }], reason: "released" }]);
    const low = await h.events(store, "inventory.stock.low");
    expect(low).toHaveLength(1);
    expect(low[0]!.data).toEqual({ sku: "HTTP-1", available: 10, threshold: 10 });
  });

  it("validates bodies: a problem naming the field, nothing reserved", async () => {
    const bad = await h.internal(store, "POST", P, { orderId: "ord bad", lines: [{ sku: "HTTP-1", quantity: 0 }] });
    expect(bad.status).toBe(422);
    expect(Problem.parse(bad.body).errors?.map((e) => e.path).sort()).toEqual(["lines.0.quantity", "orderId"]);
  });

  it("the expiry job releases what expired and emits stock.released with reason expired", async () => {
    await h.internal(store, "POST", `${P}/ord-http-2/release`);
    const r = await h.internal(store, "POST", P, { orderId: "ord-expiring", lines: [{ sku: "HTTP-1", quantity: 1 }], ttlSeconds: 1 });
    expect(r.status).toBe(201);
    await new Promise((res) => setTimeout(res, 1100));
    expect(await h.service.expiry.tick()).toBe(1);
    expect((await h.internal(store, "GET", `${P}/ord-expiring`)).body).toMatchObject({ status: "expired" });
    const expired = (await h.events(store, "inventory.stock.released")).filter((e) => e.data.reason === "expired");
    expect(expired.map((e) => e.aggregateId)).toEqual(["ord-expiring"]);
  });
});
