import { createServiceCore, type CoreDeps, type ServiceHandle } from "@bazaar/service-kit/service";
import { ACCESS } from "./access.ts";
import { etag } from "hono/etag";
import type { MiddlewareHandler } from "hono";
import { productRoutes } from "./modules/products/products.routes.ts";
import { taxonomyRoutes } from "./modules/taxonomy/taxonomy.routes.ts";
import { searchRoutes } from "./modules/search/search.routes.ts";
import { createPostgresEngine } from "./modules/search/postgres.ts";
import type { SearchEngine } from "./modules/search/engine.ts";
import { sql } from "drizzle-orm";
import type { Tenancy } from "@bazaar/service-kit/tenancy";

function storefrontCaching(): MiddlewareHandler {
  const tag = etag({ weak: true });
  return async function storefrontCaching(c, next) {
    if (c.req.method !== "GET") return next();
    await tag(c, next);
    if (c.res.status === 200) c.res.headers.set("cache-control", "public, max-age=0, s-maxage=60");
  };
}

export interface CatalogDeps extends CoreDeps {
  /** The search engine; Postgres full-text search when not given. */
  search?: (tenancy: Tenancy) => SearchEngine;
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
  });
  const search = (deps.search ?? createPostgresEngine)(core.tenancy);
  // Storefront reads may be shared for a minute by the gateway's cache, which drops them the moment a
  // catalog event says this store changed; browsers revalidate every time (cheap with the ETag).
  core.app.use("/api/v1/products", storefrontCaching());
  core.app.use("/api/v1/products/*", storefrontCaching());
  core.app.use("/api/v1/search/*", storefrontCaching());
  core.app.route("/", productRoutes({ tenancy: core.tenancy, search }));
  core.app.route("/", searchRoutes({ tenancy: core.tenancy }));
  core.app.route("/", taxonomyRoutes({ tenancy: core.tenancy }));
  return core.handle();
}
