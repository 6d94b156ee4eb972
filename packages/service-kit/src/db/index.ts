import postgres from "postgres";
import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";

export type Db = PostgresJsDatabase<Record<string, never>>;
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type Sql = postgres.Sql;

export interface Database {
  url: string;
  sql: Sql;
  db: Db;
  close(): Promise<void>;
}

/**
 * A pooled connection to one database, wrapped by drizzle.
 * @example const { db } = createDatabase("postgres://postgres@127.0.0.1:5432/bazaar_catalog")
 */
export function createDatabase(url: string, opts: { max?: number } = {}): Database {
  const sql = postgres(url, {
    max: opts.max ?? 10,
    idle_timeout: 30,
    connect_timeout: 10,
    onnotice: () => {},
    connection: { application_name: "bazaar" },
  });
  const db = drizzle({ client: sql });
  return { url, sql, db, close: () => sql.end({ timeout: 5 }) };
}

export function databaseUrlWithName(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

const DB_NAME_RE = /^[a-z][a-z0-9_]{0,62}$/;

/** Create a database if it is missing; safe when several processes race. */
export async function ensureDatabase(serverUrl: string, name: string): Promise<void> {
  if (!DB_NAME_RE.test(name)) throw new Error(`invalid database name ${JSON.stringify(name)}`);
  const admin = postgres(databaseUrlWithName(serverUrl, "postgres"), { max: 1, onnotice: () => {} });
  try {
    const rows = await admin`select 1 from pg_database where datname = ${name}`;
    if (rows.length === 0) {
      try {
        await admin.unsafe(`create database "${name}"`);
      } catch (err) {
        // 42P04 duplicate_database, 23505 when two creators race on pg_database's unique index
        const code = (err as { code?: string }).code;
        if (code !== "42P04" && code !== "23505") throw err;
      }
    }
  } finally {
    await admin.end({ timeout: 5 });
  }
}

export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  if (!DB_NAME_RE.test(name)) throw new Error(`invalid database name ${JSON.stringify(name)}`);
  const admin = postgres(databaseUrlWithName(serverUrl, "postgres"), { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
  } finally {
    await admin.end({ timeout: 5 });
  }
}

export { startEmbeddedPostgres, type EmbeddedServer } from "./embedded.ts";
