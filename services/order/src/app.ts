import { createServiceCore, type CoreDeps, type ServiceHandle } from "@bazaar/service-kit/service";

export type OrderDeps = CoreDeps;

/**
 * The order service: orders and their lifecycle. This slice provisions its tenant schema and serves health, readiness
 * and metrics; its features arrive with its own issue.
 */
export function createService(deps: OrderDeps): ServiceHandle {
  return createServiceCore("order", deps, new URL("../migrations/tenant", import.meta.url)).handle();
}
