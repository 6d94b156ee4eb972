import { z } from "zod";
import { TenantId, TenantSlug } from "../common/index.ts";

/** Body of every service's internal provisioning endpoint. */
export const ProvisionRequest = z.object({
  tenantId: TenantId,
  slug: TenantSlug,
  /** Placement: a database of its own for a large tenant; omitted means the service's default database. */
  databaseUrl: z.string().url().optional(),
});
export type ProvisionRequest = z.infer<typeof ProvisionRequest>;

export const ProvisionResult = z.object({
  service: z.string(),
  tenantId: TenantId,
  schema: z.string(),
  migrationsApplied: z.number().int(),
  created: z.boolean(),
});
export type ProvisionResult = z.infer<typeof ProvisionResult>;
