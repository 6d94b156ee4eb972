import { sql as dsql, type SQL } from "drizzle-orm";
import { TenantId, type ProvisionRequest, type ProvisionResult } from "@bazaar/contracts";
import { createDatabase, type Database, type Tx } from "../db/index.ts";
import { AppError } from "../errors/index.ts";
import type { Logger } from "../logging/index.ts";
import type { Migration } from "./migrations.ts";

const SCHEMA_RE = /^t_[a-z0-9_]{1,40}$/;

/** `ten_01j...` -> `t_01j...`. Only validated tenant ids ever become schema names. */
export function schemaForTenant(tenantId: string): string {
  if (!TenantId.safeParse(tenantId).success) throw new AppError("invalid_tenant", "The store identifier is not valid.");
  const schema = `t_${tenantId.slice(4)}`;
  if (!SCHEMA_RE.test(schema)) throw new AppError("invalid_tenant", "The store identifier is not valid.");
  return schema;
}

/** Tables the kit keeps in `public` of every database that holds tenant schemas. */
const SHARED_SQL = [
  `create table if not exists public.bazaar_tenants (
     tenant_id text primary key,
     slug text not null,
     schema_name text not null,
     database_url text,
     status text not null default 'provisioning',
     migrations integer not null default 0,
     created_at timestamptz not null default now(),
     updated_at timestamptz not null default now())`,
  `create table if not exists public.bazaar_outbox (
     seq bigserial primary key,
     id text not null unique,
     topic text not null,
     key text not null,
     tenant_id text not null,
     type text not null,
     envelope jsonb not null,
     created_at timestamptz not null default now(),
     published_at timestamptz)`,
  `create index if not exists bazaar_outbox_pending on public.bazaar_outbox (seq) where published_at is null`,
  // While a relay is draining (it found events a moment ago and promised to look again within its
  // lease), writers need not wake it. NOTIFY serialises every notifying commit of the cluster on one
  // lock held through the commit's flush, so notifying on each of a checkout's five event-writing
  // commits capped the whole platform near one over the flush time; now only idle relays are woken.
  `create table if not exists public.bazaar_outbox_relay (
     id integer primary key default 1 check (id = 1),
     draining_until timestamptz not null default '-infinity')`,
  `insert into public.bazaar_outbox_relay (id) values (1) on conflict do nothing`,
  // Every insert into the outbox wakes an idle relay (delivered on commit, once per transaction), so
  // writers need no notify statement of their own.
  `create or replace function public.bazaar_outbox_notify() returns trigger language plpgsql as $$
   begin
     if not exists (select 1 from public.bazaar_outbox_relay where draining_until > clock_timestamp()) then
       perform pg_notify('bazaar_outbox', '');
     end if;
     return null;
   end $$`,
  `create or replace trigger bazaar_outbox_notify after insert on public.bazaar_outbox
     for each statement execute function public.bazaar_outbox_notify()`,
  `create table if not exists public.bazaar_inbox (
     consumer text not null,
     event_id text not null,
     handled_at timestamptz not null default now(),
     primary key (consumer, event_id))`,
];

export interface Placement {
  tenantId: string;
  slug: string;
  schema: string;
  databaseUrl: string | null;
  status: string;
}

export interface TenancyOptions {
  service: string;
  database: Database;
  migrations: Migration[];
  logger?: Logger;
  poolMax?: number;
  /**
   * Runs after the schema is migrated, on every provisioning call (so it must be idempotent): seed
   * per-tenant rows such as a realm's clients.
   */
  afterProvision?: (req: ProvisionRequest, tenancy: Tenancy) => Promise<void>;
}

/**
 * Schema-per-tenant for one service: placement map, provisioning, per-tenant migrations, and
 * `withTenant`, which runs a function in a transaction whose search_path is the tenant's schema.
 */
export class Tenancy {
  readonly service: string;
  private readonly main: Database;
  private readonly migrations: Migration[];
  private readonly pools = new Map<string, Database>();
  private readonly placements = new Map<string, Placement>();
  private readonly initialised = new Set<string>();
  private readonly poolMax: number;

  constructor(private readonly opts: TenancyOptions) {
    this.service = opts.service;
    this.main = opts.database;
    this.migrations = opts.migrations;
    this.poolMax = opts.poolMax ?? 5;
  }

  /** Create the kit's shared tables in the service's own database. Idempotent. */
  async init(): Promise<void> {
    await this.ensureShared(this.main);
  }

  private async ensureShared(database: Database): Promise<void> {
    if (this.initialised.has(database.url)) return;
    await database.sql.begin(async (tx) => {
      await tx`select pg_advisory_xact_lock(hashtext('bazaar:shared'))`;
      for (const stmt of SHARED_SQL) await tx.unsafe(stmt);
    });
    this.initialised.add(database.url);
  }

  /** Databases holding tenant schemas: the default one and any placement databases. */
  databases(): Database[] {
    return [this.main, ...this.pools.values()];
  }

  private database(url: string | null): Database {
    if (!url || url === this.main.url) return this.main;
    let pool = this.pools.get(url);
    if (!pool) {
      pool = createDatabase(url, { max: this.poolMax });
      this.pools.set(url, pool);
    }
    return pool;
  }

  async placement(tenantId: string): Promise<Placement | undefined> {
    const cached = this.placements.get(tenantId);
    if (cached) return cached;
    schemaForTenant(tenantId);
    const rows = await this.main.sql<{ tenant_id: string; slug: string; schema_name: string; database_url: string | null; status: string }[]>`
      select tenant_id, slug, schema_name, database_url, status from public.bazaar_tenants where tenant_id = ${tenantId}`;
    const row = rows[0];
    if (!row) return undefined;
    const p: Placement = { tenantId: row.tenant_id, slug: row.slug, schema: row.schema_name, databaseUrl: row.database_url, status: row.status };
    if (p.status === "ready") this.placements.set(tenantId, p);
    return p;
  }

  /** The placement of the tenant with this slug (realm names are slugs), if provisioned here. */
  async findBySlug(slug: string): Promise<Placement | undefined> {
    for (const p of this.placements.values()) if (p.slug === slug) return p;
    const rows = await this.main.sql<{ tenant_id: string }[]>`select tenant_id from public.bazaar_tenants where slug = ${slug} limit 1`;
    return rows[0] ? this.placement(rows[0].tenant_id) : undefined;
  }

  /** Every ready tenant of this service (used to open placement pools at start-up). */
  async tenants(): Promise<Placement[]> {
    const rows = await this.main.sql<{ tenant_id: string; slug: string; schema_name: string; database_url: string | null; status: string }[]>`
      select tenant_id, slug, schema_name, database_url, status from public.bazaar_tenants order by tenant_id`;
    return rows.map((r) => ({ tenantId: r.tenant_id, slug: r.slug, schema: r.schema_name, databaseUrl: r.database_url, status: r.status }));
  }

  /** Open pools for tenants placed in databases of their own, so relays and consumers see them. */
  async openPlacements(): Promise<void> {
    for (const t of await this.tenants()) {
      if (t.databaseUrl) await this.ensureShared(this.database(t.databaseUrl));
    }
  }

  /**
   * Run `fn` in one transaction with `search_path` set to the tenant's schema (transaction-local, so
   * pooled connections never leak it).
   * @example await tenancy.withTenant(tenantId, (tx) => tx.select().from(products))
   */
  async withTenant<T>(tenantId: string, fn: (tx: Tx) => Promise<T>): Promise<T> {
    const p = await this.placement(tenantId);
    if (!p || p.status !== "ready") throw new AppError("tenant_not_found", "This store does not exist here.");
    return this.database(p.databaseUrl).db.transaction(async (tx) => {
      await tx.execute(dsql`select set_config('search_path', ${p.schema}, true)`);
      return fn(tx);
    });
  }

  /**
   * One read statement for a tenant, outside a transaction: `fn` gets `table(name)`, the tenant's
   * table qualified with its schema, and returns the statement. One round trip instead of four
   * (begin, search_path, query, commit) for hot read paths; everything else uses `withTenant`.
   * The schema name comes from the placement (derived from the tenant id), never from input.
   * @example await tenancy.read(tenantId, (t) => dsql`select count(*) from ${t("products")}`)
   */
  async read<T extends Record<string, unknown>>(tenantId: string, fn: (table: (name: string) => SQL) => SQL): Promise<T[]> {
    return this.statement<T>(tenantId, fn);
  }

  /**
   * One statement for a tenant, run on its own (autocommit): atomic by itself, so a write that fits
   * in one statement (a data-modifying CTE: change, log row and outbox event together) costs one
   * round trip instead of a transaction's five or more. Tables are qualified as in `read`;
   * `qualified(name)` is the same name as text, for a parameter such as `nextval(${qualified("seq")}::regclass)`.
   * @example await tenancy.statement(tenantId, (t) => dsql`with m as (update ${t("orders")} ...), e as (${outbox.statement}) select * from m`)
   */
  async statement<T extends Record<string, unknown>>(tenantId: string, fn: (table: (name: string) => SQL, qualified: (name: string) => string) => SQL): Promise<T[]> {
    const p = await this.placement(tenantId);
    if (!p || p.status !== "ready") throw new AppError("tenant_not_found", "This store does not exist here.");
    const qualified = (name: string) => {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a table name: ${name}`);
      return `"${p.schema}"."${name}"`;
    };
    return [...(await this.database(p.databaseUrl).db.execute<T>(fn((name) => dsql.raw(qualified(name)), qualified)))] as T[];
  }

  /**
   * Create and migrate the tenant's schema. Idempotent: provisioning again applies only missing
   * migrations; concurrent calls serialise on an advisory lock.
   */
  async provision(req: ProvisionRequest): Promise<ProvisionResult> {
    const schema = schemaForTenant(req.tenantId);
    const databaseUrl = req.databaseUrl ?? null;
    const existing = await this.placement(req.tenantId);
    if (existing && (existing.databaseUrl ?? null) !== databaseUrl) {
      throw new AppError("conflict", "The store is already placed in another database.");
    }
    await this.main.sql`
      insert into public.bazaar_tenants (tenant_id, slug, schema_name, database_url, status)
      values (${req.tenantId}, ${req.slug}, ${schema}, ${databaseUrl}, 'provisioning')
      on conflict (tenant_id) do update set slug = excluded.slug, updated_at = now()`;
    const target = this.database(databaseUrl);
    await this.ensureShared(target);
    const { created, applied } = await target.sql.begin(async (tx) => {
      await tx`select pg_advisory_xact_lock(hashtext(${"bazaar:provision:" + req.tenantId}))`;
      const exists = await tx`select 1 from information_schema.schemata where schema_name = ${schema}`;
      await tx.unsafe(`create schema if not exists "${schema}"`);
      await tx.unsafe(`create table if not exists "${schema}".__bazaar_migrations (
        idx integer primary key, tag text not null, hash text not null, applied_at timestamptz not null default now())`);
      const done = await tx<{ idx: number; hash: string }[]>`select idx, hash from ${tx(schema)}.__bazaar_migrations`;
      const doneIdx = new Map(done.map((d) => [d.idx, d.hash]));
      await tx`select set_config('search_path', ${schema}, true)`;
      let applied = 0;
      for (const m of this.migrations) {
        const prior = doneIdx.get(m.idx);
        if (prior !== undefined) {
          if (prior !== m.hash) this.opts.logger?.warn({ tenantId: req.tenantId, tag: m.tag }, "applied migration was edited since");
          continue;
        }
        for (const stmt of m.statements) await tx.unsafe(stmt);
        await tx`insert into __bazaar_migrations (idx, tag, hash) values (${m.idx}, ${m.tag}, ${m.hash})`;
        applied++;
      }
      return { created: exists.length === 0, applied };
    });
    await this.main.sql`
      update public.bazaar_tenants set status = 'ready', migrations = ${this.migrations.length}, updated_at = now()
      where tenant_id = ${req.tenantId}`;
    this.placements.delete(req.tenantId);
    await this.opts.afterProvision?.(req, this);
    return { service: this.service, tenantId: req.tenantId, schema, migrationsApplied: applied, created };
  }

  /** Drop the tenant's schema and placement. Idempotent. */
  async deprovision(tenantId: string): Promise<{ removed: boolean }> {
    const schema = schemaForTenant(tenantId);
    const p = await this.placement(tenantId);
    this.placements.delete(tenantId);
    const target = this.database(p?.databaseUrl ?? null);
    await target.sql.begin(async (tx) => {
      await tx`select pg_advisory_xact_lock(hashtext(${"bazaar:provision:" + tenantId}))`;
      await tx.unsafe(`drop schema if exists "${schema}" cascade`);
    });
    await this.main.sql`delete from public.bazaar_tenants where tenant_id = ${tenantId}`;
    return { removed: Boolean(p) };
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((p) => p.close()));
    this.pools.clear();
  }
}
