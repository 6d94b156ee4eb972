import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { createDatabase, databaseUrlWithName, dropDatabase, ensureDatabase, type Database } from "../../src/db/index.ts";
import { createId } from "../../src/ids/index.ts";
import { Tenancy, loadMigrations, schemaForTenant } from "../../src/tenancy/index.ts";
import { freshDatabase, testDatabaseName, testServerUrl } from "../../src/testing/index.ts";

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), "../fixtures/migrations");

describe("schema-per-tenant", () => {
  let database: Database;
  let tenancy: Tenancy;
  beforeAll(async () => {
    database = await freshDatabase("tenancy");
    tenancy = new Tenancy({ service: "widgets", database, migrations: loadMigrations(dir) });
    await tenancy.init();
  });
  afterAll(async () => {
    await tenancy.close();
    await database.close();
  });

  it("provisions a schema with every migration, and provisioning again changes nothing", async () => {
    const tenantId = createId("tenant");
    const first = await tenancy.provision({ tenantId, slug: "first" });
    expect(first).toMatchObject({ created: true, migrationsApplied: 2, schema: schemaForTenant(tenantId) });
    await tenancy.withTenant(tenantId, (tx) => tx.execute(sql`insert into widgets (id, name, note) values ('w', 'kept', 'n')`));
    const again = await tenancy.provision({ tenantId, slug: "first" });
    expect(again).toMatchObject({ created: false, migrationsApplied: 0 });
    const rows = await tenancy.withTenant(tenantId, (tx) => tx.execute(sql`select name from widgets`));
    expect(rows.map((r) => r.name)).toEqual(["kept"]);
  });

  it("keeps each tenant's rows in its own schema", async () => {
    const a = createId("tenant");
    const b = createId("tenant");
    await Promise.all([tenancy.provision({ tenantId: a, slug: "a-store" }), tenancy.provision({ tenantId: b, slug: "b-store" })]);
    await tenancy.withTenant(a, (tx) => tx.execute(sql`insert into widgets (id, name) values ('only-a', 'A')`));
    const inB = await tenancy.withTenant(b, (tx) => tx.execute(sql`select id from widgets`));
    expect(inB).toHaveLength(0);
    // search_path is transaction-local: a plain query on the pool afterwards sees no tenant table.
    const leaked = await database.sql`select current_setting('search_path') as p`;
    expect(leaked[0]!.p).not.toContain("t_");
  });

  it("survives concurrent provisioning of the same tenant", async () => {
    const id = createId("tenant");
    const results = await Promise.all(Array.from({ length: 5 }, () => tenancy.provision({ tenantId: id, slug: "race" })));
    expect(results.reduce((n, r) => n + r.migrationsApplied, 0)).toBe(2);
  });

  it("refuses unknown tenants and malformed ids before any SQL", async () => {
    await expect(tenancy.withTenant(createId("tenant"), async () => 1)).rejects.toMatchObject({ code: "tenant_not_found" });
    for (const bad of ["ten_x'; drop schema public; --", "../t", "ten_" + "a".repeat(200), "TEN_01ABC"]) {
      await expect(tenancy.withTenant(bad, async () => 1)).rejects.toMatchObject({ code: "invalid_tenant" });
    }
  });

  it("deprovisions idempotently", async () => {
    const id = createId("tenant");
    await tenancy.provision({ tenantId: id, slug: "gone" });
    expect(await tenancy.deprovision(id)).toEqual({ removed: true });
    expect(await tenancy.deprovision(id)).toEqual({ removed: false });
    const schemas = await database.sql`select 1 from information_schema.schemata where schema_name = ${schemaForTenant(id)}`;
    expect(schemas).toHaveLength(0);
  });

  it("places a tenant in a database of its own with no code change", async () => {
    const name = testDatabaseName("placed");
    await ensureDatabase(testServerUrl(), name);
    const url = databaseUrlWithName(testServerUrl(), name);
    const id = createId("tenant");
    await tenancy.provision({ tenantId: id, slug: "big-store", databaseUrl: url });
    await tenancy.withTenant(id, (tx) => tx.execute(sql`insert into widgets (id, name) values ('big', 'B')`));
    const direct = createDatabase(url, { max: 1 });
    const rows = await direct.sql.unsafe(`select name from "${schemaForTenant(id)}".widgets`);
    expect(rows.map((r) => r.name)).toEqual(["B"]);
    const inDefault = await database.sql`select 1 from information_schema.schemata where schema_name = ${schemaForTenant(id)}`;
    expect(inDefault).toHaveLength(0);
    await direct.close();
    await tenancy.deprovision(id);
    await tenancy.close();
    await dropDatabase(testServerUrl(), name);
  });
});
