import { createServiceCore, type CoreDeps, type ServiceHandle } from "@bazaar/service-kit/service";
import { ACCESS } from "./access.ts";
import { etag } from "hono/etag";
import type { MiddlewareHandler } from "hono";
import { productRoutes } from "./modules/products/products.routes.ts";
import { taxonomyRoutes } from "./modules/taxonomy/taxonomy.routes.ts";
import { mediaRoutes } from "./modules/media/media.routes.ts";
import { searchRoutes } from "./modules/search/search.routes.ts";
import { importRoutes, IMPORTS_PATH } from "./modules/import/import.routes.ts";
import { internalRoutes } from "./modules/internal/internal.routes.ts";
import type { ImportDeps } from "./modules/import/import.service.ts";
import { createMemoryEngine } from "./modules/search/memory.ts";
import { elasticsearchFromEnv, rebuildAll } from "./modules/search/elasticsearch/index.ts";
import type { SearchEngine } from "./modules/search/engine.ts";
import { createHash, randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Subscription } from "@bazaar/service-kit/events";
import type { Tenancy } from "@bazaar/service-kit/tenancy";

function storefrontCaching(): MiddlewareHandler {
  // SHA-1 with node:crypto, synchronously: Web Crypto's digest hops to the thread pool per response,
  // which cost more than the search itself under load (profiled).
  const tag = etag({
    weak: true,
    generateDigest: (body: Uint8Array) => {
      const d = createHash("sha1").update(body).digest();
      return d.buffer.slice(d.byteOffset, d.byteOffset + d.byteLength) as ArrayBuffer;
    },
  });
  return async function storefrontCaching(c, next) {
    if (c.req.method !== "GET") return next();
    await tag(c, next);
    if (c.res.status === 200) c.res.headers.set("cache-control", "public, max-age=0, s-maxage=60");
  };
}

export interface CatalogDeps extends CoreDeps {
  /**
   * The search engine. Default: Postgres text analysis evaluated over a per-store in-memory index
   * (modules/search/memory.ts); `createPostgresEngine` answers every search in SQL instead.
   */
  search?: (tenancy: Tenancy) => SearchEngine & { invalidate?: (tenantId: string) => void };
  /** Environment for optional adapters: `ELASTICSEARCH_URL` (and friends) switches search to Elasticsearch. */
  env?: Record<string, string | undefined>;
  /** Bulk import: the largest file (default 50 MB) and test hooks. */
  imports?: Pick<ImportDeps, "progress" | "afterBatch"> & { maxBytes?: number };
}

/**
 * pg_trgm (typo correction) lives in `public` of each database that holds tenant schemas; tenant
 * SQL names it `public.` explicitly because a tenant transaction's search_path is its schema only.
 */
async function ensureTrigramIndex(tenantId: string, tenancy: Tenancy): Promise<void> {
  await tenancy.withTenant(tenantId, async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('bazaar:extensions'))`);
    await tx.execute(sql`create extension if not exists pg_trgm with schema public`);
    await tx.execute(sql`create index if not exists search_words_trgm_idx on search_words using gin (word public.gin_trgm_ops)`);
  });
}

/** The catalog service: products in each tenant's schema. */
export function createService(deps: CatalogDeps): ServiceHandle {
  const core = createServiceCore("catalog", deps, new URL("../migrations/tenant", import.meta.url), {
    access: ACCESS,
    afterProvision: (req, tenancy) => ensureTrigramIndex(req.tenantId, tenancy),
    // Imports stream their body through the CSV/JSON reader, which refuses NUL itself.
    streamedBodyPaths: [IMPORTS_PATH],
  });
  const es = elasticsearchFromEnv(deps.env ?? {}, { tenancy: core.tenancy, logger: deps.logger });
  const search: SearchEngine & { invalidate?: (tenantId: string) => void } = es?.engine ?? (deps.search ?? createMemoryEngine)(core.tenancy);
  // A store's search index is dropped when the store's catalog changes: at once for this instance's
  // own writes, and through catalog events for writes made by other instances.
  if (search.invalidate) {
    const drop = search.invalidate;
    core.app.use("/api/v1/admin/*", async (c, next) => {
      await next();
      const tenant = c.get("tenant");
      if (c.req.method !== "GET" && tenant) drop(tenant.tenantId);
    });
  }
  // Storefront reads may be shared for a minute by the gateway's cache, which drops them the moment a
  // catalog event says this store changed; browsers revalidate every time (cheap with the ETag).
  core.app.use("/api/v1/products", storefrontCaching());
  core.app.use("/api/v1/products/*", storefrontCaching());
  core.app.use("/api/v1/search/*", storefrontCaching());
  core.app.route("/", productRoutes({ tenancy: core.tenancy, search }));
  core.app.route("/", searchRoutes({ tenancy: core.tenancy }));
  core.app.route("/", taxonomyRoutes({ tenancy: core.tenancy }));
  core.app.route("/", mediaRoutes());
  core.app.route("/", internalRoutes({ tenancy: core.tenancy, secret: deps.secret }));
  core.app.route("/", importRoutes({ tenancy: core.tenancy, logger: deps.logger, ...deps.imports }));
  let sub: Subscription | undefined;
  return core.handle({
    // With Elasticsearch, the index is fed from catalog events (through the outbox) by these handlers.
    handlers: es?.handlers ?? [],
    onStart: async () => {
      if (es && deps.env?.ELASTICSEARCH_REBUILD === "true") {
        void rebuildAll(es.engine, core.tenancy, deps.logger).catch((err: unknown) => deps.logger.error({ err }, "search: rebuild failed"));
      }
      if (!search.invalidate) return;
      const drop = search.invalidate;
      // Every instance needs every change: a consumer group of its own, new events only.
      sub = await deps.bus.subscribe({
        group: `catalog-search-${randomBytes(6).toString("hex")}`,
        topics: ["catalog"],
        fromBeginning: false,
        handler: async (envelope) => drop(envelope.tenantId),
      });
    },
    onStop: async () => {
      await sub?.stop();
      await es?.close();
    },
  });
}
