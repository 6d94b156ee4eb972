import { createServiceCore, type CoreDeps, type ServiceHandle } from "@bazaar/service-kit/service";
import { ACCESS } from "./access.ts";
import { etag } from "hono/etag";
import type { MiddlewareHandler } from "hono";
import { productRoutes } from "./modules/products/products.routes.ts";
import { taxonomyRoutes } from "./modules/taxonomy/taxonomy.routes.ts";

function storefrontCaching(): MiddlewareHandler {
  const tag = etag({ weak: true });
  return async function storefrontCaching(c, next) {
    if (c.req.method !== "GET") return next();
    await tag(c, next);
    if (c.res.status === 200) c.res.headers.set("cache-control", "public, max-age=0, s-maxage=60");
  };
}

export type CatalogDeps = CoreDeps;

/** The catalog service: products in each tenant's schema. */
export function createService(deps: CatalogDeps): ServiceHandle {
  const core = createServiceCore("catalog", deps, new URL("../migrations/tenant", import.meta.url), { access: ACCESS });
  // Storefront reads may be shared for a minute by the gateway's cache, which drops them the moment a
  // catalog event says this store changed; browsers revalidate every time (cheap with the ETag).
  core.app.use("/api/v1/products", storefrontCaching());
  core.app.use("/api/v1/products/*", storefrontCaching());
  core.app.route("/", productRoutes({ tenancy: core.tenancy }));
  core.app.route("/", taxonomyRoutes({ tenancy: core.tenancy }));
  return core.handle();
}
