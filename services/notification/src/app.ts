import { createServiceCore, type CoreDeps, type ServiceHandle } from "@bazaar/service-kit/service";

export type NotificationDeps = CoreDeps;

/**
 * The notification service: the delivery log of email, SMS and push. This slice provisions its tenant schema and serves health, readiness
 * and metrics; its features arrive with its own issue.
 */
export function createService(deps: NotificationDeps): ServiceHandle {
  return createServiceCore("notification", deps, new URL("../migrations/tenant", import.meta.url)).handle();
}
