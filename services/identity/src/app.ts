import { createServiceCore, type CoreDeps, type ServiceHandle } from "@bazaar/service-kit/service";

export type IdentityDeps = CoreDeps;

/**
 * The identity service: accounts and logins (OIDC provider comes with issue 3). This slice provisions its tenant schema and serves health, readiness
 * and metrics; its features arrive with its own issue.
 */
export function createService(deps: IdentityDeps): ServiceHandle {
  return createServiceCore("identity", deps, new URL("../migrations/tenant", import.meta.url)).handle();
}
