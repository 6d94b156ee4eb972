import { createServiceCore, type CoreDeps, type ServiceHandle } from "@bazaar/service-kit/service";
import { requireTenant } from "@bazaar/service-kit/tenancy";
import { productRoutes } from "./modules/products/products.routes.ts";

export type CatalogDeps = CoreDeps;

/** The catalog service: products in each tenant's schema. */
export function createService(deps: CatalogDeps): ServiceHandle {
  const core = createServiceCore("catalog", deps, new URL("../migrations/tenant", import.meta.url));
  core.app.use("/api/*", requireTenant({ secret: deps.secret }));
  core.app.route("/", productRoutes({ tenancy: core.tenancy }));
  return core.handle();
}
