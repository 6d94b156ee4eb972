import type { Client, estypes } from "@elastic/elasticsearch";
import type { SearchResult } from "@bazaar/contracts";
import type { Tx } from "@bazaar/service-kit/db";
import type { Logger } from "@bazaar/service-kit/logging";
import type { Tenancy } from "@bazaar/service-kit/tenancy";
import type { SearchEngine, SearchRequest } from "../engine.ts";
import { queryTerms } from "../text.ts";
import { buildCorrectionSearch, correctionsFrom } from "./corrections.ts";
import { loadDocuments, readVersion, type DocumentBatch, type DocumentSelection } from "./documents.ts";
import { createIndexWriter, isNotFound } from "./writer.ts";
import { buildSearch, emptyResult, toResult, type ItemSource } from "./query.ts";

export interface ElasticsearchEngineOptions {
  client: Client;
  tenancy: Pick<Tenancy, "withTenant">;
  /** Index names are `<indexPrefix>-<tenantId>-products` (alias) and `...-v<time>` (indices). */
  indexPrefix?: string;
  logger?: Logger;
  /** Products per bulk request when a whole store is (re)indexed. */
  batchSize?: number;
  /** Make writes searchable before they return (tests); production relies on the refresh interval. */
  refresh?: boolean | "wait_for";
  replicas?: number;
  /** Where documents come from (default: the tenant's tables, documents.ts); tests swap it. */
  loadDocuments?: (tx: Tx, sel: DocumentSelection) => Promise<DocumentBatch>;
  readVersion?: (tx: Tx) => Promise<number>;
}

export interface ElasticsearchEngine extends SearchEngine {
  readonly name: "elasticsearch";
  readonly client: Client;
  /** The alias searches use for this tenant. */
  aliasFor(tenantId: string): string;
  /**
   * Bring these products' documents up to date: index the ones that exist, delete the ones that do
   * not. Reads through `tx` when given (an event handler's tenant transaction).
   */
  indexProducts(tenantId: string, ids: string[], tx?: Tx): Promise<{ indexed: number; deleted: number }>;
  removeProducts(tenantId: string, ids: string[], tx?: Tx): Promise<void>;
  /** Re-index every product of the tenant into the live index, in place (after an import). */
  reindexTenant(tenantId: string, tx?: Tx): Promise<number>;
  /** Build a fresh index from Postgres and swap the alias to it atomically; the old index is deleted. */
  rebuild(tenantId: string): Promise<{ index: string; documents: number }>;
  dropTenant(tenantId: string): Promise<void>;
  /** Ids of indexed products matching an Elasticsearch query (those a taxonomy change touches). */
  indexedIds(tenantId: string, query: estypes.QueryDslQueryContainer): Promise<string[]>;
  /** Make everything written so far searchable (tests, after a rebuild). */
  refresh(tenantId: string): Promise<void>;
}

/**
 * The Elasticsearch engine: one index per tenant behind an alias, fed from catalog events
 * (indexer.ts) and rebuildable from Postgres. Answers exactly like the Postgres engine
 * (engine.ts `SearchRequest` and facet semantics).
 */
export function createElasticsearchEngine(opts: ElasticsearchEngineOptions): ElasticsearchEngine {
  const { client, tenancy } = opts;
  const batchSize = opts.batchSize ?? 500;
  const load = opts.loadDocuments ?? loadDocuments;
  const version = opts.readVersion ?? readVersion;
  const writer = createIndexWriter({ client, prefix: opts.indexPrefix ?? "bazaar", ...(opts.refresh !== undefined ? { refresh: opts.refresh } : {}), ...(opts.replicas !== undefined ? { replicas: opts.replicas } : {}) });
  const read = <T>(tenantId: string, tx: Tx | undefined, fn: (tx: Tx) => Promise<T>) => (tx ? fn(tx) : tenancy.withTenant(tenantId, fn));

  async function query(tenantId: string, req: SearchRequest, terms: string[]): Promise<SearchResult> {
    try {
      return toResult(await client.search<ItemSource>(buildSearch(writer.names(tenantId).alias, req, terms)), req, terms);
    } catch (err) {
      if (isNotFound(err)) return emptyResult(req);
      throw err;
    }
  }

  async function correct(tenantId: string, terms: string[]): Promise<{ from: string; to: string }[]> {
    const body = buildCorrectionSearch(writer.names(tenantId).alias, terms);
    if (!body) return [];
    try {
      return correctionsFrom(terms, await client.search(body));
    } catch (err) {
      if (isNotFound(err)) return [];
      throw err;
    }
  }

  /** Every product of the tenant, `batchSize` at a time in id order, each batch its own read. */
  async function* batches(tenantId: string, tx?: Tx): AsyncGenerator<DocumentBatch> {
    let after = "";
    for (;;) {
      const batch = await read(tenantId, tx, (t) => load(t, { after, limit: batchSize }));
      if (batch.docs.length === 0) return;
      yield batch;
      if (batch.docs.length < batchSize) return;
      after = batch.docs.at(-1)!.id;
    }
  }

  async function reindexTenant(tenantId: string, tx?: Tx): Promise<number> {
    await writer.ensureLive(tenantId);
    let n = 0;
    for await (const batch of batches(tenantId, tx)) {
      await writer.write(tenantId, await writer.targets(tenantId), batch, []);
      n += batch.docs.length;
    }
    return n;
  }

  const building = new Map<string, Promise<unknown>>();
  /** One rebuild per tenant at a time in this process (see docs: run rebuilds from one place). */
  function serial<T>(tenantId: string, fn: () => Promise<T>): Promise<T> {
    const run = (building.get(tenantId) ?? Promise.resolve()).catch(() => undefined).then(fn);
    building.set(tenantId, run);
    return run.finally(() => {
      if (building.get(tenantId) === run) building.delete(tenantId);
    });
  }

  return {
    name: "elasticsearch",
    client,
    aliasFor: (tenantId) => writer.names(tenantId).alias,

    async search(tenantId, req) {
      const terms = queryTerms(req.q);
      const first = await query(tenantId, req, terms);
      if (first.total > 0 || terms.length === 0) return first;
      // Nothing matched: read mistyped words as the nearest catalog words and try once more.
      const corrections = await correct(tenantId, terms);
      if (corrections.length === 0) return first;
      const fixed = terms.map((t) => corrections.find((c) => c.from === t)?.to ?? t);
      return { ...(await query(tenantId, req, fixed)), corrections };
    },

    async indexProducts(tenantId, ids, tx) {
      const unique = [...new Set(ids)];
      let indexed = 0;
      let deleted = 0;
      let targets = await writer.targets(tenantId);
      if (targets.length === 0) {
        // First write for this store: create its index and fill it (which includes these products).
        return { indexed: await reindexTenant(tenantId, tx), deleted: 0 };
      }
      for (let i = 0; i < unique.length; i += batchSize) {
        const chunk = unique.slice(i, i + batchSize);
        const batch = await read(tenantId, tx, (t) => load(t, { ids: chunk }));
        const found = new Set(batch.docs.map((d) => d.id));
        const gone = chunk.filter((id) => !found.has(id));
        if (i > 0) targets = await writer.targets(tenantId);
        await writer.write(tenantId, targets, batch, gone);
        indexed += batch.docs.length;
        deleted += gone.length;
      }
      return { indexed, deleted };
    },

    async removeProducts(tenantId, ids, tx) {
      if (ids.length === 0) return;
      const targets = await writer.targets(tenantId);
      if (targets.length === 0) return;
      const v = await read(tenantId, tx, version);
      await writer.write(tenantId, targets, { version: v, docs: [] }, [...new Set(ids)]);
    },

    reindexTenant,

    rebuild: (tenantId) =>
      serial(tenantId, async () => {
        const index = await writer.startBuild(tenantId);
        let documents = 0;
        const target = [{ alias: writer.names(tenantId).building, required: true }];
        for await (const batch of batches(tenantId)) {
          await writer.write(tenantId, target, batch, []);
          documents += batch.docs.length;
        }
        await writer.finishBuild(tenantId, index);
        opts.logger?.info({ tenantId, index, documents }, "search index rebuilt");
        return { index, documents };
      }),

    dropTenant: (tenantId) => writer.drop(tenantId),

    async indexedIds(tenantId, q) {
      const ids: string[] = [];
      let after: estypes.SortResults | undefined;
      for (;;) {
        let res: estypes.SearchResponse<unknown>;
        try {
          res = await client.search({ index: writer.names(tenantId).alias, size: 1_000, _source: false, query: q, sort: [{ id: { order: "asc" } }], track_total_hits: false, ...(after ? { search_after: after } : {}) });
        } catch (err) {
          if (isNotFound(err)) return ids;
          throw err;
        }
        const hits = res.hits.hits;
        ids.push(...hits.map((h) => h._id!));
        if (hits.length < 1_000) return ids;
        after = hits.at(-1)!.sort;
      }
    },

    async refresh(tenantId) {
      await client.indices.refresh({ index: writer.names(tenantId).alias, ignore_unavailable: true, allow_no_indices: true });
    },
  };
}

