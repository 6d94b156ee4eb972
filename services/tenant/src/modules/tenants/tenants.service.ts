import { TenantEvents, type CreateTenantBody, type Tenant, type TenantResolution } from "@bazaar/contracts";
import type { Database } from "@bazaar/service-kit/db";
import { AppError } from "@bazaar/service-kit/errors";
import { enqueue } from "@bazaar/service-kit/events";
import { createId } from "@bazaar/service-kit/ids";
import type { Logger } from "@bazaar/service-kit/logging";
import { provisionEverywhere, type ProvisionTarget } from "./provisioner.ts";
import * as repo from "./tenants.repo.ts";

export interface TenantsDeps {
  database: Database;
  targets: ProvisionTarget[];
  logger: Logger;
  /** Host suffix for store sites: `<slug>.<storeDomain>`. */
  storeDomain: string;
}

function toTenant(row: repo.TenantRow, services: repo.ServiceRow[], domains: string[]): Tenant {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    ownerEmail: row.ownerEmail,
    plan: row.plan,
    currency: row.currency,
    status: row.status,
    domains,
    createdAt: row.createdAt.toISOString(),
    services: services.map((s) => ({ service: s.service, status: s.status, error: s.error, attempts: s.attempts, updatedAt: s.updatedAt.toISOString() })),
  };
}

export async function loadTenant(deps: TenantsDeps, id: string): Promise<Tenant> {
  const row = await repo.findTenant(deps.database.db, { id });
  if (!row) throw new AppError("not_found", "No such tenant.");
  const [services, domains] = await Promise.all([repo.servicesOf(deps.database.db, [id]), repo.domainsOf(deps.database.db, [id])]);
  return toTenant(row, services, domains.map((d) => d.domain));
}

/** Runs provisioning for the services not yet ready and settles the tenant's status. */
export async function provision(deps: TenantsDeps, id: string): Promise<Tenant> {
  const row = await repo.findTenant(deps.database.db, { id });
  if (!row) throw new AppError("not_found", "No such tenant.");
  const ready = new Set((await repo.servicesOf(deps.database.db, [id])).filter((s) => s.status === "ready").map((s) => s.service));
  const todo = deps.targets.filter((t) => !ready.has(t.service));
  const { ok } = await provisionEverywhere({
    database: deps.database,
    targets: todo,
    request: { tenantId: row.id, slug: row.slug, ...(row.databaseUrl ? { databaseUrl: row.databaseUrl } : {}) },
    logger: deps.logger,
  });
  if (row.status !== "suspended") {
    await deps.database.db.transaction(async (tx) => {
      await repo.setTenantStatus(tx, id, ok ? "active" : "failed");
      // Announced once every service holds the store's schema, so listeners (identity inviting the
      // owner, say) never race provisioning; a store that failed first is announced after its retry.
      if (ok && (row.status === "provisioning" || row.status === "failed")) {
        await enqueue(tx, TenantEvents.created, {
          tenantId: id,
          aggregateId: id,
          data: { slug: row.slug, name: row.name, plan: row.plan, currency: row.currency, ownerEmail: row.ownerEmail },
        });
      }
    });
  }
  return loadTenant(deps, id);
}

/** Create (or, for an identical repeat, return) a tenant and provision it everywhere. */
export async function createTenant(deps: TenantsDeps, input: CreateTenantBody): Promise<{ tenant: Tenant; created: boolean }> {
  const existing = await repo.findTenant(deps.database.db, { slug: input.slug });
  if (existing) {
    const same = existing.name === input.name && existing.ownerEmail === input.ownerEmail && existing.currency === input.currency;
    if (!same) throw new AppError("conflict", `The slug "${input.slug}" is taken.`);
    return { tenant: existing.status === "active" || existing.status === "suspended" ? await loadTenant(deps, existing.id) : await provision(deps, existing.id), created: false };
  }
  const id = createId("tenant");
  await deps.database.db.transaction(async (tx) => {
    await repo.insertTenant(
      tx,
      { id, slug: input.slug, name: input.name, ownerEmail: input.ownerEmail, plan: input.plan, currency: input.currency, status: "provisioning" },
      deps.targets.map((t) => t.service),
      [`${input.slug}.${deps.storeDomain}`],
    );
  });
  return { tenant: await provision(deps, id), created: true };
}

export async function listTenantPage(deps: TenantsDeps, opts: { limit: number; cursor?: string }) {
  const after = opts.cursor ? Buffer.from(opts.cursor, "base64url").toString("utf8") : undefined;
  if (after !== undefined && !/^ten_[0-9a-z]{26}$/.test(after)) throw new AppError("bad_request", "The cursor is not valid.");
  const rows = await repo.listTenants(deps.database.db, { limit: opts.limit, ...(after ? { after } : {}) });
  const more = rows.length > opts.limit;
  const pageRows = rows.slice(0, opts.limit);
  const ids = pageRows.map((r) => r.id);
  const [services, domains] = await Promise.all([repo.servicesOf(deps.database.db, ids), repo.domainsOf(deps.database.db, ids)]);
  const items = pageRows.map((r) =>
    toTenant(
      r,
      services.filter((s) => s.tenantId === r.id),
      domains.filter((d) => d.tenantId === r.id).map((d) => d.domain),
    ),
  );
  const last = items.at(-1);
  return { items, nextCursor: more && last ? Buffer.from(last.id).toString("base64url") : null };
}

export async function updateTenant(deps: TenantsDeps, id: string, patch: { status?: "active" | "suspended"; name?: string }): Promise<Tenant> {
  const row = await repo.findTenant(deps.database.db, { id });
  if (!row) throw new AppError("not_found", "No such tenant.");
  if (patch.status === "active" && row.status === "failed") throw new AppError("conflict", "Provisioning has not completed; retry it first.");
  await deps.database.db.transaction(async (tx) => {
    await repo.setTenantStatus(tx, id, patch.status ?? row.status, patch.name);
    if (patch.status && patch.status !== row.status) {
      await enqueue(tx, TenantEvents.statusChanged, { tenantId: id, aggregateId: id, data: { status: patch.status } });
    }
  });
  return loadTenant(deps, id);
}

/** Remove the tenant's schema from every service, then the registry entry. */
export async function removeTenant(deps: TenantsDeps, id: string, deprovisioners: { service: string; deprovision(id: string): Promise<unknown> }[]): Promise<void> {
  const row = await repo.findTenant(deps.database.db, { id });
  if (!row) throw new AppError("not_found", "No such tenant.");
  await Promise.all(deprovisioners.map((d) => d.deprovision(id)));
  await repo.deleteTenant(deps.database.db, id);
}

export async function resolveTenant(deps: TenantsDeps, by: { slug?: string; host?: string }): Promise<TenantResolution> {
  const row = by.slug ? await repo.findTenant(deps.database.db, { slug: by.slug }) : await repo.findTenantByDomain(deps.database.db, by.host ?? "");
  if (!row || row.status === "provisioning" || row.status === "failed") throw new AppError("tenant_not_found", "This store does not exist.");
  return { id: row.id, slug: row.slug, name: row.name, currency: row.currency, status: row.status };
}
