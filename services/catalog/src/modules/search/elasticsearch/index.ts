import { Client, type ClientOptions } from "@elastic/elasticsearch";
import { z } from "zod";
import type { EventHandler } from "@bazaar/service-kit/events";
import type { Logger } from "@bazaar/service-kit/logging";
import type { Tenancy } from "@bazaar/service-kit/tenancy";
import { createElasticsearchEngine, type ElasticsearchEngine } from "./engine.ts";
import { searchIndexerHandlers } from "./indexer.ts";

export { createElasticsearchEngine, type ElasticsearchEngine, type ElasticsearchEngineOptions } from "./engine.ts";
export { searchIndexerHandlers, startSearchIndexer, SEARCH_INDEXER_GROUP } from "./indexer.ts";

/** The environment the Elasticsearch engine reads (CONVENTIONS.md #5: main.ts passes it in). */
export const ElasticsearchEnv = z.object({
  ELASTICSEARCH_URL: z.string().url().optional(),
  ELASTICSEARCH_API_KEY: z.string().min(1).optional(),
  ELASTICSEARCH_USERNAME: z.string().min(1).optional(),
  ELASTICSEARCH_PASSWORD: z.string().min(1).optional(),
  ELASTICSEARCH_INDEX_PREFIX: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, "lowercase letters, digits and '-'")
    .default("bazaar"),
});

export interface ElasticsearchSearch {
  engine: ElasticsearchEngine;
  /** Catalog event handlers that keep the index current (for `core.handle({ handlers })`). */
  handlers: EventHandler[];
  close(): Promise<void>;
}

/**
 * The Elasticsearch engine when `ELASTICSEARCH_URL` is set, else null (the Postgres engine serves).
 * @example const es = elasticsearchFromEnv(process.env, { tenancy: core.tenancy, logger })
 */
export function elasticsearchFromEnv(env: Record<string, string | undefined>, deps: { tenancy: Tenancy; logger?: Logger; client?: Client }): ElasticsearchSearch | null {
  const cfg = ElasticsearchEnv.parse(env);
  if (!cfg.ELASTICSEARCH_URL) return null;
  const options: ClientOptions = {
    node: cfg.ELASTICSEARCH_URL,
    ...(cfg.ELASTICSEARCH_API_KEY ? { auth: { apiKey: cfg.ELASTICSEARCH_API_KEY } } : {}),
    ...(cfg.ELASTICSEARCH_USERNAME && cfg.ELASTICSEARCH_PASSWORD ? { auth: { username: cfg.ELASTICSEARCH_USERNAME, password: cfg.ELASTICSEARCH_PASSWORD } } : {}),
    requestTimeout: 30_000,
    maxRetries: 3,
  };
  const client = deps.client ?? new Client(options);
  const engine = createElasticsearchEngine({ client, tenancy: deps.tenancy, indexPrefix: cfg.ELASTICSEARCH_INDEX_PREFIX, ...(deps.logger ? { logger: deps.logger } : {}) });
  deps.logger?.info({ node: new URL(cfg.ELASTICSEARCH_URL).host, prefix: cfg.ELASTICSEARCH_INDEX_PREFIX }, "search: Elasticsearch engine");
  return { engine, handlers: searchIndexerHandlers(engine), close: () => client.close() };
}

/**
 * Rebuild every ready store's index from Postgres, one store at a time (after a mapping change, a
 * new cluster, or to repair drift). Each store's swap is atomic; searches keep being answered.
 * @example await rebuildAll(es.engine, core.tenancy, logger)
 */
export async function rebuildAll(engine: Pick<ElasticsearchEngine, "rebuild">, tenancy: Pick<Tenancy, "tenants">, logger?: Logger): Promise<{ stores: number; documents: number }> {
  let stores = 0;
  let documents = 0;
  for (const t of await tenancy.tenants()) {
    if (t.status !== "ready") continue;
    documents += (await engine.rebuild(t.tenantId)).documents;
    stores++;
  }
  logger?.info({ stores, documents }, "search indices rebuilt");
  return { stores, documents };
}
