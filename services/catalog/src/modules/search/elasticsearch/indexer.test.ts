import { describe, expect, it } from "vitest";
import type { EventEnvelope } from "@bazaar/contracts";
import type { Tx } from "@bazaar/service-kit/db";
import type { ElasticsearchEngine } from "./engine.ts";
import { searchIndexerHandlers } from "./indexer.ts";
import { TENANT } from "./testing.ts";

function fakeEngine() {
  const calls: unknown[][] = [];
  const engine = {
    indexProducts: async (tenantId: string, ids: string[]) => {
      calls.push(["index", tenantId, [...ids].sort()]);
      return { indexed: ids.length, deleted: 0 };
    },
    reindexTenant: async (tenantId: string) => {
      calls.push(["reindex", tenantId]);
      return 0;
    },
    indexedIds: async (_tenantId: string, query: unknown) => {
      calls.push(["query", query]);
      return ["prod_indexed"];
    },
  } as unknown as ElasticsearchEngine;
  return { engine, calls };
}

/** A tenant transaction whose every query answers these product ids. */
const txAnswering = (ids: string[]) => ({ execute: async () => ids.map((id) => ({ id })) }) as unknown as Tx;

async function deliver(engine: ElasticsearchEngine, type: string, data: unknown, tx = txAnswering([])) {
  const handler = searchIndexerHandlers(engine).find((h) => h.event.type === type);
  if (!handler) throw new Error(`no handler for ${type}`);
  const envelope: EventEnvelope = { id: "evt_1", type, version: 1, tenantId: TENANT, aggregateId: "x", occurredAt: new Date(0).toISOString(), data: handler.event.schema.parse(data) };
  await handler.handle!(tx, envelope);
}

describe("search indexer handlers", () => {
  it("re-reads the product of every product and variant event", async () => {
    const { engine, calls } = fakeEngine();
    await deliver(engine, "catalog.product.created", { productId: "prod_a", slug: "a", name: "A", price: 1, currency: "USD" });
    await deliver(engine, "catalog.product.updated", { productId: "prod_a", slug: "a", fields: ["name"] });
    await deliver(engine, "catalog.product.deleted", { productId: "prod_a", slug: "a" });
    await deliver(engine, "catalog.variant.changed", { productId: "prod_a", sku: "A", change: "updated", price: 1, stock: 0 });
    expect(calls).toEqual(Array.from({ length: 4 }, () => ["index", TENANT, ["prod_a"]]));
  });

  it("reindexes the products a taxonomy change touches: those indexed under it and those the database has", async () => {
    const { engine, calls } = fakeEngine();
    await deliver(engine, "catalog.category.changed", { categoryId: "cat_1", change: "updated" }, txAnswering(["prod_db", "prod_indexed"]));
    await deliver(engine, "catalog.brand.changed", { brandId: "brd_1", change: "deleted" }, txAnswering(["prod_db"]));
    await deliver(engine, "catalog.attribute.changed", { attributeId: "att_1", code: "colour", change: "updated" }, txAnswering([]));
    expect(calls).toEqual([
      ["query", { term: { category_ids: "cat_1" } }],
      ["index", TENANT, ["prod_db", "prod_indexed"]],
      ["query", { term: { brand_id: "brd_1" } }],
      ["index", TENANT, ["prod_db", "prod_indexed"]],
      ["query", { exists: { field: "attr.colour" } }],
      ["index", TENANT, ["prod_indexed"]],
    ]);
  });

  it("reindexes the whole store after an import", async () => {
    const { engine, calls } = fakeEngine();
    await deliver(engine, "catalog.import.completed", { importId: "imp_1", created: 3, updated: 1 });
    expect(calls).toEqual([["reindex", TENANT]]);
  });

  it("subscribes to catalog topic events only", () => {
    const { engine } = fakeEngine();
    expect(new Set(searchIndexerHandlers(engine).map((h) => h.event.topic))).toEqual(new Set(["catalog"]));
  });
});
