import { applyPlatformMigrations, loadMigrations, requireInternal } from "@bazaar/service-kit/tenancy";
import { ACCESS } from "./access.ts";
import type { ProvisioningClient } from "@bazaar/service-kit/clients";
import { createServiceCore, type CoreDeps, type ServiceHandle } from "@bazaar/service-kit/service";
import { fileURLToPath } from "node:url";
import { initStoreSettings, setTheme } from "./modules/store/store.service.ts";
import { storeRoutes } from "./modules/store/store.routes.ts";
import type { ProvisionTarget } from "./modules/tenants/provisioner.ts";
import { findTenant } from "./modules/tenants/tenants.repo.ts";
import { tenantRoutes } from "./modules/tenants/tenants.routes.ts";

export interface TenantServiceDeps extends CoreDeps {
  /** Provisioning clients of every other tenant-holding service. */
  services: ProvisioningClient[];
  /** Store sites live at `<slug>.<storeDomain>` (default `localhost`). */
  storeDomain?: string;
}

/** The tenant service: the registry of stores, provisioning across services, store settings. */
export function createService(deps: TenantServiceDeps): ServiceHandle {
  const core = createServiceCore("tenant", deps, new URL("../migrations/tenant", import.meta.url), { access: ACCESS, storeRoutes: false });
  const { tenancy } = core;
  const self: ProvisionTarget = {
    service: "tenant",
    async provision(req) {
      const result = await tenancy.provision(req);
      const row = await findTenant(deps.database.db, { id: req.tenantId });
      if (row) await tenancy.withTenant(req.tenantId, (tx) => initStoreSettings(tx, { name: row.name, currency: row.currency }));
      return result;
    },
  };
  const tenantsDeps = {
    database: deps.database,
    logger: deps.logger,
    storeDomain: deps.storeDomain ?? "localhost",
    targets: [self, ...deps.services],
    deprovisioners: [{ service: "tenant", deprovision: (id: string) => tenancy.deprovision(id) }, ...deps.services],
    afterCreate: async (t: { id: string }, input: { theme?: Record<string, string | undefined> | undefined }) => {
      if (input.theme && Object.keys(input.theme).length) {
        await tenancy.withTenant(t.id, (tx) => setTheme(tx, input.theme as never));
      }
    },
  };
  core.app.use("/api/v1/platform/*", requireInternal({ secret: deps.secret }));
  core.app.use("/internal/*", requireInternal({ secret: deps.secret }));
  core.app.route("/", tenantRoutes(tenantsDeps));
  core.app.route("/", storeRoutes({ tenancy }));
  return core.handle({
    onStart: async () => {
      await applyPlatformMigrations(deps.database, loadMigrations(fileURLToPath(new URL("../migrations/platform", import.meta.url)), { track: "platform" }));
    },
  });
}
