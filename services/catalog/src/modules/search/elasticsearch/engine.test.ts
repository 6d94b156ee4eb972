import { describe, expect, it } from "vitest";
import { ALIAS, doc, engineOn, mockCluster, pid, type Call } from "./testing.ts";

const V0 = `${ALIAS}-v0`;
const live = (index = V0, extra: Record<string, object> = {}) => ({ [index]: { aliases: { [ALIAS]: {} } }, ...extra });
const bulkOk = (call: Call) => ({ errors: false, took: 1, items: (call.body as object[]).filter((l) => "index" in l || "delete" in l).map(() => ({ index: { status: 200 } })) });
const hitsOf = (ids: string[], total = ids.length) => ({ hits: { total: { value: total, relation: "eq" }, hits: ids.map((id, i) => ({ _id: id, _index: V0, _source: doc(Number(id.slice(-2))), sort: [10 - i, id] })) } });

describe("search on Elasticsearch", () => {
  it("sends one _search to the tenant's alias and maps the answer", async () => {
    const es = mockCluster();
    es.on("POST /:index/_search", hitsOf([pid(12), pid(11)], 2));
    const { engine } = engineOn(es, []);
    const res = await engine.search("ten_01jd5m3x4s9t2v8w0y1z2a3b4c", { q: "product", limit: 5, facets: false });
    expect(res.items.map((i) => i.id)).toEqual([pid(12), pid(11)]);
    expect(res.total).toBe(2);
    const [call] = es.sent("POST /:index/_search");
    expect(call!.path).toBe(`/${ALIAS}/_search`);
    expect(call!.body).toMatchObject({ size: 6, track_total_hits: true, sort: [{ _score: { order: "desc" } }, { id: { order: "desc" } }] });
  });

  it("answers an empty result for a store without an index yet", async () => {
    const es = mockCluster();
    const { engine } = engineOn(es, []);
    const res = await engine.search("ten_01jd5m3x4s9t2v8w0y1z2a3b4c", { limit: 5 });
    expect(res).toEqual({ items: [], nextCursor: null, total: 0, facets: { brands: [], categories: [], priceBands: [], attributes: [], inStock: 0 }, corrections: [] });
  });

  it("reads a mistyped word as the nearest catalog word when nothing matched, and searches again", async () => {
    const es = mockCluster();
    es.on("POST /:index/_search", (call: Call) => {
      const body = call.body as { size: number; suggest?: unknown; query: unknown };
      if (body.suggest) {
        return {
          hits: { total: { value: 0, relation: "eq" }, hits: [] },
          suggest: { t0: [{ text: "jakcet", offset: 0, length: 6, options: [{ text: "jacket", score: 0.83, freq: 3 }, { text: "packet", score: 0.66, freq: 1 }] }] },
        };
      }
      return JSON.stringify(body.query).includes('"jacket"') ? hitsOf([pid(3)]) : hitsOf([]);
    });
    const { engine } = engineOn(es, []);
    const res = await engine.search("ten_01jd5m3x4s9t2v8w0y1z2a3b4c", { q: "jakcet", limit: 5, facets: false });
    expect(res.corrections).toEqual([{ from: "jakcet", to: "jacket" }]);
    expect(res.items.map((i) => i.id)).toEqual([pid(3)]);
    const calls = es.sent("POST /:index/_search").map((c) => c.body as Record<string, unknown>);
    expect(calls).toHaveLength(3);
    expect(calls[1]).toEqual({
      size: 0,
      track_total_hits: 1,
      query: { prefix: { words: { value: "jakcet" } } },
      suggest: { t0: { text: "jakcet", term: { field: "words", suggest_mode: "missing", string_distance: "damerau_levenshtein", max_edits: 2, prefix_length: 0, min_word_length: 4, size: 8, sort: "score" } } },
    });
  });

  it("does not correct a last word that is the start of a catalog word", async () => {
    const es = mockCluster();
    es.on("POST /:index/_search", (call: Call) =>
      (call.body as { suggest?: unknown }).suggest
        ? { hits: { total: { value: 1, relation: "eq" }, hits: [] }, suggest: { t0: [{ text: "lante", offset: 0, length: 5, options: [{ text: "lance", score: 0.8, freq: 1 }] }] } }
        : hitsOf([]),
    );
    const { engine } = engineOn(es, []);
    const res = await engine.search("ten_01jd5m3x4s9t2v8w0y1z2a3b4c", { q: "lante", limit: 5, facets: false });
    expect(res.corrections).toEqual([]);
    expect(es.sent("POST /:index/_search")).toHaveLength(2);
  });
});

describe("indexing", () => {
  it("indexes existing products and deletes vanished ones in one versioned bulk to the live alias", async () => {
    const es = mockCluster();
    es.on("GET /:index/_alias", live());
    es.on("POST /_bulk", bulkOk);
    const { engine, reads } = engineOn(es, [doc(1), doc(2)]);
    expect(await engine.indexProducts("ten_01jd5m3x4s9t2v8w0y1z2a3b4c", [pid(1), pid(9), pid(1)])).toEqual({ indexed: 1, deleted: 1 });
    expect(reads).toEqual([{ ids: [pid(1), pid(9)] }]);
    const [bulk] = es.sent("POST /_bulk");
    expect(bulk!.querystring).toEqual({ require_alias: "true" });
    expect(bulk!.body).toEqual([
      { index: { _index: ALIAS, _id: pid(1), version: 1_700_000_000_000_001, version_type: "external_gte" } },
      doc(1),
      { delete: { _index: ALIAS, _id: pid(9), version: 1_700_000_000_000_001, version_type: "external_gte" } },
    ]);
  });

  it("also writes to the index being rebuilt, tolerating its alias vanishing and stale versions", async () => {
    const es = mockCluster();
    es.on("GET /:index/_alias", live(V0, { [`${ALIAS}-v5`]: { aliases: { [`${ALIAS}-next`]: {} } } }));
    es.on("POST /_bulk", {
      errors: true,
      took: 1,
      items: [
        { index: { _index: V0, _id: pid(1), status: 409, error: { type: "version_conflict_engine_exception", reason: "newer" } } },
        { index: { _index: `${ALIAS}-next`, _id: pid(1), status: 404, error: { type: "index_not_found_exception", reason: "gone" } } },
      ],
    });
    const { engine } = engineOn(es, [doc(1)]);
    await engine.indexProducts("ten_01jd5m3x4s9t2v8w0y1z2a3b4c", [pid(1)]);
    const body = es.sent("POST /_bulk")[0]!.body as Record<string, { _index: string }>[];
    expect(body.filter((l) => "index" in l).map((l) => l.index!._index)).toEqual([ALIAS, `${ALIAS}-next`]);
  });

  it("fails (so the event is retried) when the live index refuses a write", async () => {
    const es = mockCluster();
    es.on("GET /:index/_alias", live());
    es.on("POST /_bulk", { errors: true, took: 1, items: [{ index: { _index: V0, _id: pid(1), status: 400, error: { type: "mapper_parsing_exception", reason: "bad" } } }] });
    const { engine } = engineOn(es, [doc(1)]);
    await expect(engine.indexProducts("ten_01jd5m3x4s9t2v8w0y1z2a3b4c", [pid(1)])).rejects.toThrow(/mapper_parsing_exception/);
  });

  it("creates a store's first index with its alias and fills it from the database", async () => {
    const es = mockCluster();
    es.on("GET /:index/_alias", {});
    es.on("PUT /:index", { acknowledged: true, index: V0 });
    es.on("POST /_bulk", bulkOk);
    const { engine } = engineOn(es, [doc(1), doc(2), doc(3)], { batchSize: 2 });
    // The first event for a store: after the index exists, the alias is found on later writes.
    let created = false;
    es.on("GET /:index/_alias", () => (created ? live() : {}));
    es.on("PUT /:index", () => ((created = true), { acknowledged: true, index: V0 }));
    expect(await engine.indexProducts("ten_01jd5m3x4s9t2v8w0y1z2a3b4c", [pid(2)])).toEqual({ indexed: 3, deleted: 0 });
    const [create] = es.sent("PUT /:index");
    expect(create!.path).toBe(`/${V0}`);
    expect(create!.body).toMatchObject({ aliases: { [ALIAS]: {} }, settings: { number_of_shards: 1 }, mappings: { dynamic: "strict" } });
    expect(es.sent("POST /_bulk").map((b) => (b.body as object[]).length)).toEqual([4, 2]);
  });

  it("removes products with a version from the database clock", async () => {
    const es = mockCluster();
    es.on("GET /:index/_alias", live());
    es.on("POST /_bulk", bulkOk);
    const { engine } = engineOn(es, []);
    await engine.removeProducts("ten_01jd5m3x4s9t2v8w0y1z2a3b4c", [pid(4)]);
    expect(es.sent("POST /_bulk")[0]!.body).toEqual([{ delete: { _index: ALIAS, _id: pid(4), version: 1_800_000_000_000_000, version_type: "external_gte" } }]);
  });
});

describe("rebuild", () => {
  it("builds a new index behind the building alias, swaps the live alias atomically, deletes the old index", async () => {
    const es = mockCluster();
    let phase: "before" | "building" = "before";
    es.on("GET /:index/_alias", () => (phase === "before" ? live(V0, { [`${ALIAS}-v1`]: { aliases: { [`${ALIAS}-next`]: {} } } }) : live(V0)));
    es.on("DELETE /:index", (call: Call) => ((phase = "building"), { acknowledged: true, path: call.path }));
    es.on("PUT /:index", { acknowledged: true });
    es.on("POST /_bulk", bulkOk);
    es.on("GET /:index/_refresh", { _shards: { total: 1, successful: 1, failed: 0 } });
    es.on("POST /_aliases", { acknowledged: true });
    const { engine } = engineOn(es, [doc(1), doc(2), doc(3)], { batchSize: 2 });

    const { index, documents } = await engine.rebuild("ten_01jd5m3x4s9t2v8w0y1z2a3b4c");
    expect(documents).toBe(3);
    expect(index).toMatch(new RegExp(`^${ALIAS}-v\\d{13}$`));
    // A building index left by a crashed rebuild goes first; the old live index goes last.
    expect(es.sent("DELETE /:index").map((c) => c.path)).toEqual([`/${ALIAS}-v1`, `/${V0}`]);
    expect(es.sent("PUT /:index")[0]).toMatchObject({ path: `/${index}`, body: { aliases: { [`${ALIAS}-next`]: {} } } });
    const bulks = es.sent("POST /_bulk").map((b) => b.body as Record<string, { _index: string; _id: string }>[]);
    expect(bulks.flatMap((b) => b.filter((l) => "index" in l).map((l) => `${l.index!._index} ${l.index!._id}`))).toEqual([1, 2, 3].map((n) => `${ALIAS}-next ${pid(n)}`));
    expect(es.sent("POST /_aliases")[0]!.body).toEqual({
      actions: [{ remove: { index, alias: `${ALIAS}-next` } }, { add: { index, alias: ALIAS } }, { remove: { index: V0, alias: ALIAS } }],
    });
  });

  it("drops every index of a store by name", async () => {
    const es = mockCluster();
    es.on("GET /:index/_alias", live(V0, { [`${ALIAS}-v7`]: { aliases: {} } }));
    es.on("DELETE /:index", { acknowledged: true });
    const { engine } = engineOn(es, []);
    await engine.dropTenant("ten_01jd5m3x4s9t2v8w0y1z2a3b4c");
    expect(es.sent("DELETE /:index").map((c) => c.path)).toEqual([`/${V0},${ALIAS}-v7`]);
  });
});
