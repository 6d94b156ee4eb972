import type { Database } from "../db/index.ts";
import type { Migration } from "./migrations.ts";

/**
 * Apply a service's platform track (tables shared by all tenants, e.g. the tenant registry) to the
 * `public` schema of its own database. Same drizzle-kit SQL format as the tenant track.
 */
export async function applyPlatformMigrations(database: Database, migrations: Migration[]): Promise<number> {
  return database.sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext('bazaar:platform-migrations'))`;
    await tx.unsafe(`create table if not exists public.__bazaar_platform_migrations (
      idx integer primary key, tag text not null, hash text not null, applied_at timestamptz not null default now())`);
    const done = new Set((await tx<{ idx: number }[]>`select idx from public.__bazaar_platform_migrations`).map((r) => r.idx));
    await tx`select set_config('search_path', 'public', true)`;
    let applied = 0;
    for (const m of migrations) {
      if (done.has(m.idx)) continue;
      for (const stmt of m.statements) await tx.unsafe(stmt);
      await tx`insert into public.__bazaar_platform_migrations (idx, tag, hash) values (${m.idx}, ${m.tag}, ${m.hash})`;
      applied++;
    }
    return applied;
  });
}
