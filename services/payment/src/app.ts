import { createServiceCore, type CoreDeps, type ServiceHandle } from "@bazaar/service-kit/service";

export type PaymentDeps = CoreDeps;

/**
 * The payment service: payments through each store's gateways. This slice provisions its tenant schema and serves health, readiness
 * and metrics; its features arrive with its own issue.
 */
export function createService(deps: PaymentDeps): ServiceHandle {
  return createServiceCore("payment", deps, new URL("../migrations/tenant", import.meta.url)).handle();
}
