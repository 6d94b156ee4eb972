import { and, asc, eq, gt, inArray, sql } from "drizzle-orm";
import type { Db, Tx } from "@bazaar/service-kit/db";
import { tenantDomains, tenantServices, tenants } from "../../db/platform-schema/tenants.ts";

export type TenantRow = typeof tenants.$inferSelect;
export type ServiceRow = typeof tenantServices.$inferSelect;
type Q = Db | Tx;

export async function findTenant(q: Q, by: { id?: string; slug?: string }): Promise<TenantRow | undefined> {
  const where = by.id ? eq(tenants.id, by.id) : eq(tenants.slug, by.slug ?? "");
  const [row] = await q.select().from(tenants).where(where).limit(1);
  return row;
}

export async function findTenantByDomain(q: Q, domain: string): Promise<TenantRow | undefined> {
  const [row] = await q
    .select({ t: tenants })
    .from(tenantDomains)
    .innerJoin(tenants, eq(tenants.id, tenantDomains.tenantId))
    .where(eq(tenantDomains.domain, domain))
    .limit(1);
  return row?.t;
}

export async function insertTenant(tx: Tx, row: typeof tenants.$inferInsert, services: string[], domains: string[]): Promise<void> {
  await tx.insert(tenants).values(row);
  if (domains.length) await tx.insert(tenantDomains).values(domains.map((domain) => ({ domain, tenantId: row.id })));
  await tx.insert(tenantServices).values(services.map((service) => ({ tenantId: row.id, service, status: "pending" as const })));
}

export async function listTenants(q: Q, opts: { limit: number; after?: string }): Promise<TenantRow[]> {
  return q
    .select()
    .from(tenants)
    .where(opts.after ? gt(tenants.id, opts.after) : undefined)
    .orderBy(asc(tenants.id))
    .limit(opts.limit + 1);
}

export async function servicesOf(q: Q, tenantIds: string[]): Promise<ServiceRow[]> {
  if (tenantIds.length === 0) return [];
  return q.select().from(tenantServices).where(inArray(tenantServices.tenantId, tenantIds)).orderBy(asc(tenantServices.service));
}

export async function domainsOf(q: Q, tenantIds: string[]): Promise<{ domain: string; tenantId: string }[]> {
  if (tenantIds.length === 0) return [];
  return q.select().from(tenantDomains).where(inArray(tenantDomains.tenantId, tenantIds)).orderBy(asc(tenantDomains.domain));
}

export async function recordServiceResult(q: Q, tenantId: string, service: string, result: { ok: boolean; error?: string }): Promise<void> {
  await q
    .insert(tenantServices)
    .values({ tenantId, service, status: result.ok ? "ready" : "failed", error: result.error ?? null, attempts: 1 })
    .onConflictDoUpdate({
      target: [tenantServices.tenantId, tenantServices.service],
      set: {
        status: result.ok ? "ready" : "failed",
        error: result.error ?? null,
        attempts: sql`${tenantServices.attempts} + 1`,
        updatedAt: sql`now()`,
      },
    });
}

export async function setTenantStatus(q: Q, id: string, status: TenantRow["status"], name?: string): Promise<void> {
  await q
    .update(tenants)
    .set({ status, ...(name ? { name } : {}), updatedAt: sql`now()` })
    .where(and(eq(tenants.id, id)));
}

export async function deleteTenant(q: Q, id: string): Promise<void> {
  await q.delete(tenants).where(eq(tenants.id, id));
}
