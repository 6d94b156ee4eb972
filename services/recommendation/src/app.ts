import { createServiceCore, type CoreDeps, type ServiceHandle } from "@bazaar/service-kit/service";

export type RecommendationDeps = CoreDeps;

/**
 * The recommendation service: behaviour events for the recommendation model. This slice provisions its tenant schema and serves health, readiness
 * and metrics; its features arrive with its own issue.
 */
export function createService(deps: RecommendationDeps): ServiceHandle {
  return createServiceCore("recommendation", deps, new URL("../migrations/tenant", import.meta.url)).handle();
}
