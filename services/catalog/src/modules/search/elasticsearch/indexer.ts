import { CatalogEvents, TaxonomyEvents } from "@bazaar/contracts";
import type { Tx } from "@bazaar/service-kit/db";
import { defineHandler, startConsumer, type EventBus, type EventHandler, type Subscription } from "@bazaar/service-kit/events";
import type { Logger } from "@bazaar/service-kit/logging";
import type { Tenancy } from "@bazaar/service-kit/tenancy";
import { productsInCategoryTree, productsOfBrand, productsWithAttribute } from "./documents.ts";
import type { ElasticsearchEngine } from "./engine.ts";

/** The consumer group when the indexer runs on its own (`startSearchIndexer`). */
export const SEARCH_INDEXER_GROUP = "catalog-search-indexer";

const union = (...lists: string[][]) => [...new Set(lists.flat())];

/**
 * Catalog events -> the tenant's search index. Every handler re-reads the products it touches from
 * Postgres (events carry ids, not state), so handling an event twice or out of order converges on
 * the database; the external versions in writer.ts keep an older read from overwriting a newer one.
 * Products a taxonomy change touches are those the index says refer to it (the old state) plus
 * those the database says do (the new state).
 */
export function searchIndexerHandlers(engine: ElasticsearchEngine): EventHandler[] {
  const products = (tx: Tx, tenantId: string, ids: string[]) => engine.indexProducts(tenantId, ids, tx).then(() => undefined);
  return [
    defineHandler(CatalogEvents.productCreated, (tx, e) => products(tx, e.tenantId, [e.data.productId])),
    defineHandler(CatalogEvents.productUpdated, (tx, e) => products(tx, e.tenantId, [e.data.productId])),
    // A deleted product is one `indexProducts` no longer finds: its document is deleted.
    defineHandler(CatalogEvents.productDeleted, (tx, e) => products(tx, e.tenantId, [e.data.productId])),
    defineHandler(CatalogEvents.variantChanged, (tx, e) => products(tx, e.tenantId, [e.data.productId])),
    defineHandler(CatalogEvents.importCompleted, async (tx, e) => void (await engine.reindexTenant(e.tenantId, tx))),
    defineHandler(TaxonomyEvents.categoryChanged, async (tx, e) => {
      const { categoryId } = e.data;
      await products(tx, e.tenantId, union(await engine.indexedIds(e.tenantId, { term: { category_ids: categoryId } }), await productsInCategoryTree(tx, categoryId)));
    }),
    defineHandler(TaxonomyEvents.brandChanged, async (tx, e) => {
      const { brandId } = e.data;
      await products(tx, e.tenantId, union(await engine.indexedIds(e.tenantId, { term: { brand_id: brandId } }), await productsOfBrand(tx, brandId)));
    }),
    defineHandler(TaxonomyEvents.attributeChanged, async (tx, e) => {
      const { code } = e.data;
      // Documents carry the attribute's name and whether it is filterable (its facet); values stay.
      const indexed = /^[a-z][a-z0-9_]*$/.test(code) ? await engine.indexedIds(e.tenantId, { exists: { field: `attr.${code}` } }) : [];
      await products(tx, e.tenantId, union(indexed, await productsWithAttribute(tx, code)));
    }),
    // Category and brand creation touch no product document: a new one has no products yet.
  ];
}

/**
 * Run the indexer as its own consumer group (instead of passing the handlers to the service's
 * `core.handle`, whose group is the service name).
 */
export function startSearchIndexer(opts: { bus: EventBus; tenancy: Tenancy; engine: ElasticsearchEngine; logger?: Logger; group?: string }): Promise<Subscription> {
  return startConsumer({
    bus: opts.bus,
    group: opts.group ?? SEARCH_INDEXER_GROUP,
    handlers: searchIndexerHandlers(opts.engine),
    tenancy: opts.tenancy,
    ...(opts.logger ? { logger: opts.logger } : {}),
  });
}
