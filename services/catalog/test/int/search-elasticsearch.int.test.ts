import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "@elastic/elasticsearch";
import type { Subscription } from "@bazaar/service-kit/events";
import type { Tenancy } from "@bazaar/service-kit/tenancy";
import { eventually } from "@bazaar/service-kit/testing";
import type { ProductDocument } from "../../src/modules/search/elasticsearch/documents.ts";
import { createElasticsearchEngine, startSearchIndexer, type ElasticsearchEngine } from "../../src/modules/search/elasticsearch/index.ts";
import { mockCluster, type Call } from "../../src/modules/search/elasticsearch/testing.ts";
import { searchBehaviourSuite } from "./search-behaviour.ts";
import { startCatalog, type CatalogHarness, type Store } from "./harness.ts";

/** Events reach the index: the outbox is published, the bus has delivered, the index refreshed. */
async function settle(h: CatalogHarness, engine: ElasticsearchEngine, store: Store): Promise<void> {
  await eventually(async () => {
    const [row] = await h.database.sql<{ n: number }[]>`select count(*)::int as n from public.bazaar_outbox where published_at is null`;
    return row?.n === 0;
  }, "the outbox to be published");
  await h.bus.drain();
  await engine.refresh(store.tenantId);
}

/**
 * Real Postgres, mocked Elasticsearch: the documents the indexer builds from the tenant's tables
 * (one SQL statement) and the requests it sends, fed through outbox -> bus -> handlers. Runs
 * everywhere; the cluster below keeps just enough state (index exists, documents by id) to answer.
 */
describe("Elasticsearch indexer fed through the outbox (Postgres + mocked cluster)", () => {
  const es = mockCluster();
  const docs = new Map<string, ProductDocument>();
  let created = false;
  es.on("GET /:index/_alias", (c: Call) => (created ? { [`${c.path.split("/")[1]!.replace(/-v\*$/, "")}-v0`]: { aliases: { [c.path.split("/")[1]!.replace(/-v\*$/, "")]: {} } } } : {}));
  es.on("PUT /:index", () => ((created = true), { acknowledged: true }));
  es.on("GET /:index/_refresh", { _shards: { total: 1, successful: 1, failed: 0 } });
  es.on("POST /_bulk", (c: Call) => {
    const lines = c.body as Record<string, { _id: string }>[];
    const items = [];
    for (let i = 0; i < lines.length; i++) {
      const action = lines[i]!;
      if (action.index) docs.set(action.index._id, lines[++i] as unknown as ProductDocument);
      if (action.delete) docs.delete(action.delete._id);
      items.push({ [Object.keys(action)[0]!]: { _id: Object.values(action)[0]!._id, status: 200 } });
    }
    return { errors: false, took: 1, items };
  });
  es.on("POST /:index/_search", (c: Call) => {
    const q = (c.body as { query: { term?: Record<string, string> } }).query;
    const [field, value] = Object.entries(q.term ?? {})[0] ?? [];
    const hits = [...docs.values()].filter((d) => field && ([] as unknown[]).concat(d[field as keyof ProductDocument]).includes(value));
    return { hits: { total: { value: hits.length, relation: "eq" }, hits: hits.map((d) => ({ _id: d.id, _index: "x", sort: [d.id] })) } };
  });

  let h: CatalogHarness;
  let engine!: ElasticsearchEngine;
  let tenancy!: Tenancy;
  let indexer: Subscription;
  let store: Store;
  beforeAll(async () => {
    h = await startCatalog({
      search: (t) => {
        tenancy = t;
        engine = createElasticsearchEngine({ client: es.client, tenancy: t });
        return engine;
      },
    });
    indexer = await startSearchIndexer({ bus: h.bus, tenancy, engine });
    store = await h.provision("es-indexer");
  });
  afterAll(async () => {
    await indexer?.stop();
    await h?.stop();
  });

  it("indexes a product with ancestor categories, brand, attribute text forms; follows renames and deletes", async () => {
    const outdoor = await h.call<{ id: string }>(store, "POST", "/api/v1/admin/categories", { name: "Outdoor" });
    const hiking = await h.call<{ id: string }>(store, "POST", "/api/v1/admin/categories", { name: "Hiking", parentId: outdoor.body.id });
    const brand = await h.call<{ id: string }>(store, "POST", "/api/v1/admin/brands", { name: "Northpeak" });
    for (const body of [
      { code: "colour", name: "Colour", type: "select", values: ["red", "blue"] },
      { code: "weight", name: "Weight", type: "number" },
      { code: "waterproof", name: "Waterproof", type: "boolean" },
      { code: "care", name: "Care", type: "text", filterable: false },
    ]) {
      expect((await h.call(store, "POST", "/api/v1/admin/attributes", body)).status).toBe(201);
    }
    const product = await h.call<{ id: string }>(store, "POST", "/api/v1/admin/products", {
      name: "Trail Boot",
      description: "Light and waterproof.",
      currency: "USD",
      brandId: brand.body.id,
      categoryIds: [hiking.body.id],
      attributes: { colour: "red", weight: 1.5, waterproof: true, care: "hand wash" },
      images: [{ url: "/media/boot.jpg", alt: "A boot" }],
      price: 12_900,
      stock: 2,
    });
    expect(product.status).toBe(201);
    const id = product.body.id;
    await settle(h, engine, store);

    expect(es.sent("PUT /:index")[0]!.path).toBe(`/${engine.aliasFor(store.tenantId)}-v0`);
    expect(docs.get(id)).toMatchObject({
      name: "Trail Boot",
      price_amount: 12_900,
      currency: "USD",
      status: "active",
      in_stock: true,
      image: { url: "/media/boot.jpg", alt: "A boot" },
      brand_id: brand.body.id,
      brand_slug: "northpeak",
      brand_name: "Northpeak",
      category_ids: [hiking.body.id, outdoor.body.id].sort(),
      category_names: ["Hiking"],
      attr: { colour: "red", weight: "1.5", waterproof: "true", care: "hand wash" },
      attr_text: expect.arrayContaining(["red", "hand wash"]),
    });
    expect(docs.get(id)!.attr_facets.map((f) => JSON.parse(f)).sort()).toEqual([
      ["colour", "Colour", "red"],
      ["waterproof", "Waterproof", "true"],
      ["weight", "Weight", "1.5"],
    ]);
    expect(docs.get(id)!.category_facets.map((f) => JSON.parse(f)[0]).sort()).toEqual(["hiking", "outdoor"]);
    const versioned = (es.sent("POST /_bulk").at(-1)!.body as Record<string, { version?: number; version_type?: string }>[])[0]!;
    expect(Object.values(versioned)[0]).toMatchObject({ version_type: "external_gte", version: expect.any(Number) });

    // A rename of an ancestor category reaches the product's facet labels.
    expect((await h.call(store, "PATCH", `/api/v1/admin/categories/${outdoor.body.id}`, { name: "Outdoors" })).status).toBe(200);
    await settle(h, engine, store);
    expect(docs.get(id)!.category_facets.map((f) => JSON.parse(f)[1]).sort()).toEqual(["Hiking", "Outdoors"]);

    // Out of stock through a variant change; then the product goes.
    const [variant] = (await h.call<{ variants: { sku: string }[] }>(store, "GET", `/api/v1/admin/products/${id}`)).body.variants;
    expect((await h.call(store, "PATCH", `/api/v1/admin/products/${id}/variants/${variant!.sku}`, { stock: 0 })).status).toBe(200);
    await settle(h, engine, store);
    expect(docs.get(id)!.in_stock).toBe(false);
    expect((await h.call(store, "DELETE", `/api/v1/admin/products/${id}`)).status).toBe(204);
    await settle(h, engine, store);
    expect(docs.has(id)).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
// The shared behaviour suite against a real cluster, when one is reachable.

const url = process.env.ELASTICSEARCH_URL;
if (!url) {
  console.info("[search] ELASTICSEARCH_URL is not set: the Elasticsearch behaviour suite is skipped (no cluster can run on this machine).");
  describe.skip("search behaviour (elasticsearch): needs ELASTICSEARCH_URL", () => {
    it("runs against a reachable Elasticsearch", () => undefined);
  });
} else {
  const client = new Client({ node: url, maxRetries: 1, requestTimeout: 10_000 });
  const captured: { tenancy?: Tenancy } = {};
  // An unreachable cluster would otherwise surface as events retried into the dead-letter topic.
  beforeAll(async () => {
    if (!(await client.ping().catch(() => false))) throw new Error(`ELASTICSEARCH_URL=${url} is set but the cluster does not answer`);
  });
  let engine: ElasticsearchEngine | undefined;
  let indexer: Promise<Subscription> | undefined;
  const tenants = new Set<string>();
  searchBehaviourSuite(
    "elasticsearch",
    (tenancy) => {
      captured.tenancy = tenancy;
      engine = createElasticsearchEngine({ client, tenancy, indexPrefix: `bazaar-test-${Date.now().toString(36)}` });
      indexer = undefined;
      return engine;
    },
    {
      settle: async (h, store) => {
        tenants.add(store.tenantId);
        indexer ??= startSearchIndexer({ bus: h.bus, tenancy: captured.tenancy!, engine: engine! });
        await indexer;
        await settle(h, engine!, store);
      },
    },
  );
  afterAll(async () => {
    await (await indexer)?.stop();
    for (const t of tenants) await engine?.dropTenant(t);
    await client.close();
  });
}
