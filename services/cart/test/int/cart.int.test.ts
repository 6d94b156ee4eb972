import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Cart, CartCreated, CartMergeResult, CartOpsResult } from "@bazaar/contracts";
import { eventually } from "@bazaar/service-kit/testing";
import { product, redisKind, startCart, type CartHarness, type Res, type Store } from "./harness.ts";

/**
 * Issue 5 must-holds, against the real Redis of this machine when TEST_REDIS_URL is set and the
 * in-process emulation otherwise (same suite), with the catalog service pricing the lines.
 */
describe(`cart service (${redisKind})`, () => {
  let h: CartHarness;
  let store: Store;
  let other: Store;
  let productId = "";

  const cartOf = (res: Res) => Cart.parse(res.body);
  const lineMap = (cart: Cart) => Object.fromEntries(cart.lines.map((l) => [l.sku, l.quantity]));

  beforeAll(async () => {
    h = await startCart({ maxLines: 6 });
    store = await h.provision("cart-a");
    other = await h.provision("cart-b");
    // AA-1..AA-4: stock 1000; BB-1: 4 units; BB-2: 1 unit; BB-3: none.
    productId = (await product(h, store, "AA", [1000, 1000, 1000, 1000])).id;
    await product(h, store, "BB", [4, 1, 0]);
    await product(h, store, "DR", [10], "draft");
    await product(h, other, "AA", [1000]);
  });
  afterAll(() => h?.stop());

  describe("tokens and ownership", () => {
    it("a guest cart answers only with its token (header or cookie); anything else is the same 404", async () => {
      const g = CartCreated.parse((await h.call(store, "POST", "/api/v1/carts")).body);
      expect(g.token).toMatch(new RegExp(`^${g.id}\\.`));
      expect((await h.call(store, "GET", `/api/v1/carts/${g.id}`, undefined, { token: g.token! })).status).toBe(200);
      const cookie = await h.cart.app.request(`/api/v1/carts/${g.id}`, {
        headers: { ...(await signed(store)), cookie: `bazaar_cart=${g.token}` },
      });
      expect(cookie.status).toBe(200);
      const other2 = await h.guest(store);
      const missing = await h.call(store, "GET", `/api/v1/carts/cart_00000000000000000000000000`, undefined, { token: g.token! });
      for (const res of [
        await h.call(store, "GET", `/api/v1/carts/${g.id}`),
        await h.call(store, "GET", `/api/v1/carts/${g.id}`, undefined, { token: other2.token }),
        await h.call(store, "GET", `/api/v1/carts/${g.id}`, undefined, { token: `${g.token!.slice(0, -2)}xx` }),
        await h.call(store, "GET", `/api/v1/carts/${g.id}`, undefined, { shopper: "acc_someone" }),
        await h.call(store, "POST", `/api/v1/carts/${g.id}/items`, { sku: "AA-1", quantity: 1 }, { token: other2.token }),
        missing,
      ]) {
        expect(res.status).toBe(404);
        expect(res.body.detail).toBe(missing.body.detail);
      }
    });

    it("another store never sees the cart, even with its token", async () => {
      const g = await h.guest(store);
      await h.call(store, "POST", `/api/v1/carts/${g.id}/items`, { sku: "AA-1", quantity: 1 }, { token: g.token });
      expect((await h.call(other, "GET", `/api/v1/carts/${g.id}`, undefined, { token: g.token })).status).toBe(404);
      expect((await h.call(other, "POST", `/api/v1/carts/${g.id}/items`, { sku: "AA-1", quantity: 1 }, { token: g.token })).status).toBe(404);
      const mine = cartOf(await h.call(store, "GET", `/api/v1/carts/${g.id}`, undefined, { token: g.token }));
      expect(lineMap(mine)).toEqual({ "AA-1": 1 });
    });

    it("a signed-in shopper has one active cart per store, reached without a token, and nobody else's", async () => {
      const first = await h.call(store, "POST", "/api/v1/carts", undefined, { shopper: "acc_ann" });
      expect(first.status).toBe(201);
      expect(first.body.token).toBeNull();
      const again = await h.call(store, "POST", "/api/v1/carts", undefined, { shopper: "acc_ann" });
      expect(again.status).toBe(200);
      expect(again.body.id).toBe(first.body.id);
      expect((await h.call(other, "POST", "/api/v1/carts", undefined, { shopper: "acc_ann" })).body.id).not.toBe(first.body.id);
      expect((await h.call(store, "GET", `/api/v1/carts/${first.body.id}`, undefined, { shopper: "acc_ann" })).status).toBe(200);
      expect((await h.call(store, "GET", `/api/v1/carts/${first.body.id}`, undefined, { shopper: "acc_bob" })).status).toBe(404);
      expect((await h.call(store, "GET", `/api/v1/carts/${first.body.id}`)).status).toBe(404);
    });
  });

  describe("pricing", () => {
    it("prices lines from the catalog in minor units and flags stock, price, status and deletion", async () => {
      const g = await h.guest(store);
      const as = { token: g.token };
      await h.call(store, "POST", `/api/v1/carts/${g.id}/items`, { sku: "AA-2", quantity: 3 }, as);
      await h.call(store, "POST", `/api/v1/carts/${g.id}/items`, { sku: "BB-1", quantity: 4 }, as);
      let cart = cartOf(await h.call(store, "GET", `/api/v1/carts/${g.id}`, undefined, as));
      expect(cart.currency).toBe("USD");
      expect(cart.lines.map((l) => [l.sku, l.unitPrice, l.lineTotal, l.warnings])).toEqual([
        ["AA-2", 1002, 3006, []],
        ["BB-1", 1001, 4004, []],
      ]);
      expect(cart.totals).toEqual({ quantity: 7, subtotal: 7010 });

      // A new price and less stock: the next read says so (catalog events drop the cached prices).
      const bb = await h.admin(store, "GET", "/api/v1/admin/products/product-bb");
      expect((await h.admin(store, "PATCH", `/api/v1/admin/products/${bb.body.id}/variants/BB-1`, { price: 1500, stock: 2 })).status).toBe(200);
      cart = await eventually(async () => {
        const c = cartOf(await h.call(store, "GET", `/api/v1/carts/${g.id}`, undefined, as));
        return c.lines[1]!.unitPrice === 1500 ? c : undefined;
      }, "the new price");
      expect(cart.lines[1]).toMatchObject({ unitPrice: 1500, previousUnitPrice: 1001, lineTotal: 6000, available: 2, purchasable: true, warnings: ["insufficient_stock", "price_changed"] });

      // Archived: flagged and out of the totals, not dropped.
      expect((await h.admin(store, "PATCH", `/api/v1/admin/products/${bb.body.id}`, { status: "archived" })).status).toBe(200);
      cart = await eventually(async () => {
        const c = cartOf(await h.call(store, "GET", `/api/v1/carts/${g.id}`, undefined, as));
        return c.lines[1]!.warnings.includes("product_unavailable") ? c : undefined;
      }, "the archived product");
      expect(cart.lines[1]!.purchasable).toBe(false);
      expect(cart.totals).toEqual({ quantity: 3, subtotal: 3006 });
      expect(cart.hasWarnings).toBe(true);
      expect((await h.admin(store, "PATCH", `/api/v1/admin/products/${bb.body.id}`, { status: "active" })).status).toBe(200);
      expect((await h.admin(store, "PATCH", `/api/v1/admin/products/${bb.body.id}/variants/BB-1`, { price: 1001, stock: 4 })).status).toBe(200);

      // Deleted: the line stays, flagged as gone; removing it still works.
      const gone = await product(h, store, "GONE", [5]);
      await h.call(store, "POST", `/api/v1/carts/${g.id}/items`, { sku: "GONE-1", quantity: 1 }, as);
      expect((await h.admin(store, "DELETE", `/api/v1/admin/products/${gone.id}`)).status).toBe(204);
      cart = await eventually(async () => {
        const c = cartOf(await h.call(store, "GET", `/api/v1/carts/${g.id}`, undefined, as));
        return c.lines.find((l) => l.sku === "GONE-1")?.warnings.includes("product_gone") ? c : undefined;
      }, "the deleted product");
      expect(cart.lines.find((l) => l.sku === "GONE-1")).toMatchObject({ unitPrice: null, lineTotal: 0, purchasable: false });
      expect(lineMap(cartOf(await h.call(store, "DELETE", `/api/v1/carts/${g.id}/items/GONE-1`, undefined, as)))).not.toHaveProperty("GONE-1");
    });
  });

  describe("limits and invalid input leave the cart unchanged", () => {
    it("refuses each with a 4xx problem naming the field", async () => {
      const g = await h.guest(store);
      const as = { token: g.token };
      await h.call(store, "POST", `/api/v1/carts/${g.id}/items`, { sku: "AA-1", quantity: 95 }, as);
      const before = cartOf(await h.call(store, "GET", `/api/v1/carts/${g.id}`, undefined, as));
      const cases: [string, string, unknown, string, number][] = [
        ["POST", "items", { sku: "NOPE-1", quantity: 1 }, "sku", 422],
        ["POST", "items", { sku: "DR-1", quantity: 1 }, "sku", 422],
        ["POST", "items", { sku: "BB-3", quantity: 1 }, "quantity", 422],
        ["POST", "items", { sku: "BB-2", quantity: 2 }, "quantity", 422],
        ["POST", "items", { sku: "AA-1", quantity: 5 }, "quantity", 422],
        ["POST", "items", { sku: "AA-2", quantity: 0 }, "quantity", 422],
        ["POST", "items", { sku: "AA-2", quantity: -1 }, "quantity", 422],
        ["POST", "items", { sku: "AA-2", quantity: 1.5 }, "quantity", 422],
        ["POST", "items", { sku: "AA-2", quantity: 1e20 }, "quantity", 422],
        ["POST", "items", { sku: "AA-2", quantity: "2" }, "quantity", 422],
        ["POST", "items", { sku: "bad sku!", quantity: 1 }, "sku", 422],
        ["PATCH", "items/AA-1", { quantity: 100 }, "quantity", 422],
        ["PATCH", "items/AA-1", { quantity: 0 }, "quantity", 422],
        ["PATCH", "items/AA-3", { quantity: 1 }, "", 404],
        ["DELETE", "items/AA-3", undefined, "", 404],
        ["POST", "ops", { ops: [{ opId: "x", kind: "add", sku: "AA-2", quantity: 0, at: 1 }] }, "ops.0.quantity", 422],
        ["POST", "ops", { ops: [{ opId: "x", kind: "add", sku: "AA-2", at: 1 }] }, "ops.0.quantity", 422],
        ["POST", "ops", { ops: [] }, "ops", 422],
      ];
      for (const [method, path, body, field, status] of cases) {
        const res = await h.call(store, method, `/api/v1/carts/${g.id}/${path}`, body, as);
        const where = `${method} ${path} ${JSON.stringify(body)} -> ${res.status} ${JSON.stringify(res.body)}`;
        expect(res.status, where).toBe(status);
        expect(res.headers.get("content-type"), where).toBe("application/problem+json");
        if (field) expect(res.body.errors.map((e: { path: string }) => e.path), where).toContain(field);
      }
      const after = cartOf(await h.call(store, "GET", `/api/v1/carts/${g.id}`, undefined, as));
      expect({ ...after, expiresAt: "" }).toEqual({ ...before, expiresAt: "" });
    });

    it("refuses a line beyond the cart's line limit", async () => {
      const g = await h.guest(store);
      const as = { token: g.token };
      for (const sku of ["AA-1", "AA-2", "AA-3", "AA-4", "BB-1", "BB-2"]) {
        expect((await h.call(store, "POST", `/api/v1/carts/${g.id}/items`, { sku, quantity: 1 }, as)).status).toBe(200);
      }
      const other2 = await product(h, store, "LIM", [5]);
      expect(other2.id).toBeTruthy();
      const res = await h.call(store, "POST", `/api/v1/carts/${g.id}/items`, { sku: "LIM-1", quantity: 1 }, as);
      expect(res.status).toBe(422);
      expect(res.body.errors[0].path).toBe("sku");
      expect(cartOf(await h.call(store, "GET", `/api/v1/carts/${g.id}`, undefined, as)).version).toBe(6);
    });
  });

  it("50 concurrent changes from two clients end as applying them one by one in server order", async () => {
    const g = await h.guest(store);
    const skus = ["AA-1", "AA-2", "AA-3"];
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    type Change = { method: string; path: string; body?: unknown };
    const changes: Change[] = Array.from({ length: 50 }, () => {
      const sku = skus[rand(skus.length)]!;
      const kind = rand(3);
      if (kind === 0) return { method: "POST", path: "items", body: { sku, quantity: 1 + rand(3) } };
      if (kind === 1) return { method: "PATCH", path: `items/${sku}`, body: { quantity: 1 + rand(5) } };
      return { method: "DELETE", path: `items/${sku}` };
    });
    const send = (cartId: string, token: string, c: Change) => h.call(store, c.method, `/api/v1/carts/${cartId}/${c.path}`, c.body, { token });
    // Two clients (devices) at once, each sending its half concurrently.
    const answers = await Promise.all(changes.map((c) => send(g.id, g.token, c)));
    const applied = answers.map((res, i) => ({ res, change: changes[i]! })).filter((a) => a.res.status === 200);
    for (const a of answers) expect([200, 404]).toContain(a.status); // 404: PATCH/DELETE of a line not (yet) there
    const versions = applied.map((a) => cartOf(a.res).version).sort((x, y) => x - y);
    expect(versions).toEqual(versions.map((_, i) => i + 1)); // every change took its own version
    const final = cartOf(await h.call(store, "GET", `/api/v1/carts/${g.id}`, undefined, { token: g.token }));
    expect(final.version).toBe(applied.length);

    // Replay in server order on a fresh cart: each step gives the state that client saw.
    const replay = await h.guest(store);
    for (const a of [...applied].sort((x, y) => cartOf(x.res).version - cartOf(y.res).version)) {
      const res = await send(replay.id, replay.token, a.change);
      expect(res.status).toBe(200);
      expect(lineMap(cartOf(res))).toEqual(lineMap(cartOf(a.res)));
    }
    expect(lineMap(cartOf(await h.call(store, "GET", `/api/v1/carts/${replay.id}`, undefined, { token: replay.token })))).toEqual(lineMap(final));
  });

  describe("offline ops", () => {
    it("applies in client time order, once per opId; a replayed batch changes nothing", async () => {
      const g = await h.guest(store);
      const as = { token: g.token };
      const batch = {
        ops: [
          { opId: "d1-3", kind: "set", sku: "AA-1", quantity: 5, at: "2026-01-01T10:00:03Z" },
          { opId: "d1-1", kind: "add", sku: "AA-1", quantity: 1, at: "2026-01-01T10:00:01Z" },
          { opId: "d1-2", kind: "remove", sku: "AA-1", at: Date.parse("2026-01-01T10:00:02Z") },
          { opId: "d1-4", kind: "add", sku: "BB-1", quantity: 9, at: Date.parse("2026-01-01T10:00:04Z"), unitPrice: 999 },
          { opId: "d1-5", kind: "add", sku: "NOPE-9", quantity: 1, at: Date.parse("2026-01-01T10:00:05Z") },
          { opId: "d1-5", kind: "add", sku: "AA-2", quantity: 1, at: Date.parse("2026-01-01T10:00:06Z") },
        ],
      };
      const first = CartOpsResult.parse((await h.call(store, "POST", `/api/v1/carts/${g.id}/ops`, batch, as)).body);
      expect(first.results.map((r) => [r.opId, r.status, r.quantity])).toEqual([
        ["d1-1", "applied", 1],
        ["d1-2", "applied", 0],
        ["d1-3", "applied", 5],
        ["d1-4", "capped", 4],
        ["d1-5", "product_gone", 0],
        ["d1-5", "duplicate", 0],
      ]);
      expect(first.results[3]).toMatchObject({ requested: 9, priceChanged: true, unitPrice: 1001 });
      expect(lineMap(first.cart)).toEqual({ "AA-1": 5, "BB-1": 4 });

      const again = CartOpsResult.parse((await h.call(store, "POST", `/api/v1/carts/${g.id}/ops`, batch, as)).body);
      expect(again.results.every((r) => r.status === "duplicate")).toBe(true);
      expect(again.cart.version).toBe(first.cart.version);
      expect(lineMap(again.cart)).toEqual(lineMap(first.cart));
    });
  });

  describe("merge on login", () => {
    it("sums overlapping SKUs, caps by stock and the per-line limit, reports each line, consumes the guest cart", async () => {
      const shopper = { shopper: "acc_merge" };
      const mine = (await h.call(store, "POST", "/api/v1/carts", undefined, shopper)).body.id as string;
      await h.call(store, "POST", `/api/v1/carts/${mine}/items`, { sku: "BB-1", quantity: 3 }, shopper);
      await h.call(store, "POST", `/api/v1/carts/${mine}/items`, { sku: "AA-1", quantity: 50 }, shopper);
      await h.call(store, "POST", `/api/v1/carts/${mine}/items`, { sku: "AA-4", quantity: 1 }, shopper);
      const g = await h.guest(store);
      for (const [sku, quantity] of [["BB-1", 2], ["AA-1", 60], ["AA-2", 2], ["BB-2", 1]] as const) {
        expect((await h.call(store, "POST", `/api/v1/carts/${g.id}/items`, { sku, quantity }, { token: g.token })).status).toBe(200);
      }
      expect((await h.call(store, "POST", `/api/v1/carts/${g.id}/merge`, undefined, { token: g.token })).status).toBe(401);
      expect((await h.call(store, "POST", `/api/v1/carts/${g.id}/merge`, undefined, { ...shopper, token: "nope" })).status).toBe(404);

      const res = await h.call(store, "POST", `/api/v1/carts/${g.id}/merge`, undefined, { ...shopper, token: g.token });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const merged = CartMergeResult.parse(res.body);
      expect(merged.cart.id).toBe(mine);
      expect(merged.changes.map((c) => [c.sku, c.status, c.guestQuantity, c.previousQuantity, c.quantity])).toEqual([
        ["BB-1", "capped", 2, 3, 4],
        ["AA-1", "capped", 60, 50, 99],
        ["AA-2", "added", 2, 0, 2],
        ["BB-2", "added", 1, 0, 1],
      ]);
      expect(lineMap(merged.cart)).toEqual({ "BB-1": 4, "AA-1": 99, "AA-4": 1, "AA-2": 2, "BB-2": 1 });
      expect((await h.call(store, "GET", `/api/v1/carts/${g.id}`, undefined, { token: g.token })).status).toBe(404);
      expect((await h.call(store, "POST", `/api/v1/carts/${g.id}/merge`, undefined, { ...shopper, token: g.token })).status).toBe(404);
    });
  });

  it("stages behaviour events with each change and moves them to the outbox exactly once", async () => {
    const g = await h.guest(store);
    const as = { token: g.token };
    await h.call(store, "POST", `/api/v1/carts/${g.id}/items`, { sku: "AA-3", quantity: 2 }, as);
    await h.call(store, "PATCH", `/api/v1/carts/${g.id}/items/AA-3`, { quantity: 5 }, as);
    await h.call(store, "DELETE", `/api/v1/carts/${g.id}/items/AA-3`, undefined, as);
    const db = h.databases[1]!;
    const rows = await eventually(async () => {
      const r = await db.sql<{ type: string; envelope: { data: Record<string, unknown>; tenantId: string } }[]>`
        select type, envelope from public.bazaar_outbox where key = ${`${store.tenantId}:${g.id}`} order by seq`;
      return r.length >= 3 ? r : undefined;
    }, "three cart events");
    expect(rows.map((r) => [r.type, r.envelope.data.quantity])).toEqual([
      ["cart.item.added", 2],
      ["cart.item.added", 3],
      ["cart.item.removed", 5],
    ]);
    expect(rows[0]!.envelope).toMatchObject({ tenantId: store.tenantId, data: { cartId: g.id, sku: "AA-3", productId, shopperId: null } });
    // A drain that died after its commit but before trimming Redis: the staged lines are still
    // there; the next drain skips them (the cursor says they are in the outbox) and trims them.
    await h.cart.events.drain(store.tenantId);
    const eventsKey = `${h.keyPrefix}:{${store.tenantId}}:events`;
    const [cursor] = await db.sql<{ last_seq: string }[]>`select last_seq::text from ${db.sql(`t_${store.tenantId.slice(4)}`)}.cart_event_cursor`;
    const replayed = `${cursor!.last_seq}\tadded\tAA-3\t${productId}\t2\t${g.id}\t${Date.now()}\tg`;
    await h.redis.lpush(eventsKey, replayed);
    expect(await h.cart.events.drain(store.tenantId)).toBe(0);
    expect(await h.redis.llen(eventsKey)).toBe(0);
    const [count] = await db.sql<{ n: number }[]>`select count(*)::int as n from public.bazaar_outbox where key = ${`${store.tenantId}:${g.id}`}`;
    expect(count?.n).toBe(3);
  });
});

async function signed(store: Store): Promise<Record<string, string>> {
  const { signTenantHeaders } = await import("@bazaar/service-kit/tenancy");
  const { TEST_SECRET } = await import("@bazaar/service-kit/testing");
  return signTenantHeaders(TEST_SECRET, store);
}
