import { createServiceCore, type CoreDeps, type ServiceHandle } from "@bazaar/service-kit/service";
import { ACCESS } from "./access.ts";
import { ExpiryJob } from "./modules/reservations/reservations.expiry.ts";
import { PostgresReservations } from "./modules/reservations/reservations.postgres.ts";
import { reservationRoutes } from "./modules/reservations/reservations.routes.ts";
import type { ReservationStore } from "./modules/reservations/reservations.store.ts";
import { stockRoutes } from "./modules/stock/stock.routes.ts";
import { seedHandlers } from "./modules/stock/stock.seed.ts";

export type { ReservationStore, ReserveInput } from "./modules/reservations/reservations.store.ts";
export { PostgresReservations } from "./modules/reservations/reservations.postgres.ts";

export interface InventoryOptions {
  /** How often held reservations past their expiry are released (default 5 s; 0 = never, tests call `expiry.tick()`). */
  expiryIntervalMs?: number;
}

export interface InventoryDeps extends CoreDeps {
  inventory?: InventoryOptions;
}

export type InventoryHandle = ServiceHandle & { reservations: ReservationStore; expiry: ExpiryJob };

/** The inventory service: stock levels per SKU and location (seeded from the catalog's new SKUs), adjustments, thresholds, reservations. */
export function createService(deps: InventoryDeps): InventoryHandle {
  const core = createServiceCore("inventory", deps, new URL("../migrations/tenant", import.meta.url), { access: ACCESS });
  const reservations = new PostgresReservations({ tenancy: core.tenancy, clock: deps.clock ?? (() => new Date()), logger: deps.logger });
  const expiry = new ExpiryJob({ store: reservations, intervalMs: deps.inventory?.expiryIntervalMs ?? 5_000, logger: deps.logger });
  core.app.route("/", stockRoutes({ tenancy: core.tenancy }));
  core.app.route("/", reservationRoutes({ store: reservations, secret: deps.secret }));
  const handle = core.handle({
    handlers: seedHandlers,
    onStart: async () => expiry.start(),
    onStop: () => expiry.stop(),
  });
  return Object.assign(handle, { reservations, expiry });
}
