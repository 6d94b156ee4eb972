import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createHash } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { loadMigrations } from "./migrations.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function migrationsDir(files: Record<string, string>, entries: { idx: number; tag: string }[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bazaar-migrations-"));
  dirs.push(dir);
  fs.mkdirSync(path.join(dir, "meta"));
  fs.writeFileSync(path.join(dir, "meta", "_journal.json"), JSON.stringify({ version: "7", dialect: "postgresql", entries }));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

const FIRST = `CREATE TABLE "products" ("id" text PRIMARY KEY);\n--> statement-breakpoint\nCREATE INDEX "products_slug" ON "products" ("id");\n`;
const SECOND = `ALTER TABLE "products" ADD COLUMN "name" text;\n--> statement-breakpoint\n\n`;

describe("loadMigrations", () => {
  it("reads the journal in index order and splits each file into statements", () => {
    const dir = migrationsDir({ "0000_init.sql": FIRST, "0001_name.sql": SECOND }, [
      { idx: 1, tag: "0001_name" },
      { idx: 0, tag: "0000_init" },
    ]);
    const migrations = loadMigrations(dir);
    expect(migrations.map((m) => [m.idx, m.tag])).toEqual([
      [0, "0000_init"],
      [1, "0001_name"],
    ]);
    expect(migrations[0]!.statements).toEqual([`CREATE TABLE "products" ("id" text PRIMARY KEY);`, `CREATE INDEX "products_slug" ON "products" ("id");`]);
    expect(migrations[1]!.statements).toEqual([`ALTER TABLE "products" ADD COLUMN "name" text;`]);
    expect(migrations[0]!.hash).toBe(createHash("sha256").update(FIRST).digest("hex"));
  });

  it("changes the hash when a migration file is edited", () => {
    const a = loadMigrations(migrationsDir({ "0000_init.sql": FIRST }, [{ idx: 0, tag: "0000_init" }]));
    const b = loadMigrations(migrationsDir({ "0000_init.sql": FIRST + "-- edited\n" }, [{ idx: 0, tag: "0000_init" }]));
    expect(a[0]!.hash).not.toBe(b[0]!.hash);
  });

  it("refuses a tenant migration that names the public schema", () => {
    const dir = migrationsDir({ "0000_bad.sql": `CREATE TABLE "public"."products" ("id" text);` }, [{ idx: 0, tag: "0000_bad" }]);
    expect(() => loadMigrations(dir)).toThrow(/0000_bad.*public schema/);
    expect(() => loadMigrations(dir, { track: "tenant" })).toThrow(/public schema/);
  });

  it("accepts public-schema SQL on the platform track", () => {
    const dir = migrationsDir({ "0000_platform.sql": `CREATE TABLE "public"."tenants" ("id" text);` }, [{ idx: 0, tag: "0000_platform" }]);
    expect(loadMigrations(dir, { track: "platform" })).toHaveLength(1);
  });

  it("returns no migrations for a directory without a journal", () => {
    expect(loadMigrations(path.join(os.tmpdir(), "bazaar-does-not-exist-" + process.pid))).toEqual([]);
  });
});
