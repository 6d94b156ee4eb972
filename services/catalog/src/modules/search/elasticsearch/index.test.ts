import { describe, expect, it } from "vitest";
import type { Tenancy } from "@bazaar/service-kit/tenancy";
import { elasticsearchFromEnv, rebuildAll } from "./index.ts";
import { mockCluster } from "./testing.ts";

const tenancy = {} as Tenancy;

describe("elasticsearchFromEnv", () => {
  it("is off without ELASTICSEARCH_URL", () => {
    expect(elasticsearchFromEnv({}, { tenancy })).toBeNull();
  });

  it("builds the engine and its event handlers from the environment", () => {
    const { client } = mockCluster();
    const es = elasticsearchFromEnv({ ELASTICSEARCH_URL: "http://localhost:9200", ELASTICSEARCH_INDEX_PREFIX: "shop" }, { tenancy, client })!;
    expect(es.engine.name).toBe("elasticsearch");
    expect(es.engine.aliasFor("ten_01jd5m3x4s9t2v8w0y1z2a3b4c")).toBe("shop-ten_01jd5m3x4s9t2v8w0y1z2a3b4c-products");
    expect(es.handlers.map((h) => h.event.type)).toContain("catalog.product.updated");
  });

  it("refuses an index prefix Elasticsearch would not accept", () => {
    expect(() => elasticsearchFromEnv({ ELASTICSEARCH_URL: "http://localhost:9200", ELASTICSEARCH_INDEX_PREFIX: "Shop_*" }, { tenancy })).toThrow();
  });
});

describe("rebuildAll", () => {
  it("rebuilds every ready store, one after another", async () => {
    const rebuilt: string[] = [];
    const engine = { rebuild: async (tenantId: string) => (rebuilt.push(tenantId), { index: `i-${tenantId}`, documents: 2 }) };
    const placements = [
      { tenantId: "ten_a", slug: "a", schema: "t_a", databaseUrl: null, status: "ready" },
      { tenantId: "ten_b", slug: "b", schema: "t_b", databaseUrl: null, status: "provisioning" },
      { tenantId: "ten_c", slug: "c", schema: "t_c", databaseUrl: null, status: "ready" },
    ];
    expect(await rebuildAll(engine, { tenants: async () => placements })).toEqual({ stores: 2, documents: 4 });
    expect(rebuilt).toEqual(["ten_a", "ten_c"]);
  });
});
