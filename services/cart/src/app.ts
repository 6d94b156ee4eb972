import { createServiceCore, type CoreDeps, type ServiceHandle } from "@bazaar/service-kit/service";

export type CartDeps = CoreDeps;

/**
 * The cart service: carts (Redis) and the log of applied offline operations. This slice provisions its tenant schema and serves health, readiness
 * and metrics; its features arrive with its own issue.
 */
export function createService(deps: CartDeps): ServiceHandle {
  return createServiceCore("cart", deps, new URL("../migrations/tenant", import.meta.url)).handle();
}
