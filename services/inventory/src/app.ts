import { createServiceCore, type CoreDeps, type ServiceHandle } from "@bazaar/service-kit/service";

export type InventoryDeps = CoreDeps;

/**
 * The inventory service: stock levels and reservations. This slice provisions its tenant schema and serves health, readiness
 * and metrics; its features arrive with its own issue.
 */
export function createService(deps: InventoryDeps): ServiceHandle {
  return createServiceCore("inventory", deps, new URL("../migrations/tenant", import.meta.url)).handle();
}
