import type { ProvisionRequest, ProvisionResult } from "@bazaar/contracts";
import { UpstreamError } from "@bazaar/service-kit/clients";
import type { Database } from "@bazaar/service-kit/db";
import type { Logger } from "@bazaar/service-kit/logging";
import { recordServiceResult } from "./tenants.repo.ts";

/** Anything that can provision a tenant: another service over its client, or this service itself. */
export interface ProvisionTarget {
  service: string;
  provision(req: ProvisionRequest): Promise<ProvisionResult>;
}

function describe(err: unknown): string {
  if (err instanceof UpstreamError) return err.message;
  return err instanceof Error ? err.message : String(err);
}

/**
 * Provision the tenant in the given services concurrently and record each one's outcome; a failed
 * service does not stop the others, and a retry re-runs only what is not ready (provisioning is
 * idempotent in every service anyway).
 */
export async function provisionEverywhere(opts: {
  database: Database;
  targets: ProvisionTarget[];
  request: ProvisionRequest;
  logger: Logger;
}): Promise<{ ok: boolean; failed: string[] }> {
  const failed: string[] = [];
  await Promise.all(
    opts.targets.map(async (t) => {
      try {
        await t.provision(opts.request);
        await recordServiceResult(opts.database.db, opts.request.tenantId, t.service, { ok: true });
      } catch (err) {
        failed.push(t.service);
        opts.logger.warn({ err, service: t.service, tenantId: opts.request.tenantId }, "provisioning failed");
        await recordServiceResult(opts.database.db, opts.request.tenantId, t.service, { ok: false, error: describe(err).slice(0, 500) });
      }
    }),
  );
  return { ok: failed.length === 0, failed };
}
