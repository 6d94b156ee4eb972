import { AsyncLocalStorage } from "node:async_hooks";
import postgres from "postgres";
import { getTableColumns, sql as dsql, type SQL, type Table } from "drizzle-orm";
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
 * Sees statements sent (database URL, SQL text, parameters, and the trace id of the request that
 * sent it, if any) while `active()` says so: for tooling such as the benchmark's pgbench replay,
 * never in normal runs. Installed before the databases are created; costs nothing while inactive.
 */
export interface StatementObserver {
  active(): boolean;
  record(url: string, query: string, params: unknown[], traceId: string | undefined): void;
}
let observer: StatementObserver | undefined;
/** The trace id of the request being served; kept only while an observer is active (it costs async hooks). */
export const statementTrace = new AsyncLocalStorage<string>();

/** Install (or with undefined, remove) the process-wide statement observer of databases created afterwards. */
export function observeStatements(o: StatementObserver | undefined): void {
  observer = o;
}

export function observingStatements(): boolean {
  return observer?.active() ?? false;
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
    ...(observer ? { debug: (_conn: number, query: string, params: unknown[]) => observer?.active() && observer.record(url, query, params, statementTrace.getStore()) } : {}),
  });
  const db = drizzle({ client: sql });
  return { url, sql, db, close: () => sql.end({ timeout: 5 }) };
}

/**
 * A raw row of a hand-written statement (`tenancy.statement`, `select *` or `returning *`: column
 * names, driver values) as drizzle's typed row of `table`: keys renamed, values decoded by each
 * column (bigint numbers, timestamps, json) exactly as drizzle's own queries decode them.
 * @example const row = fromDriverRow(orders, raw) // { totalAmount: 1299, createdAt: Date, ... }
 */
export function fromDriverRow<T extends Table>(table: T, raw: Record<string, unknown>): T["$inferSelect"] {
  const out: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    const value = raw[column.name];
    out[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
  }
  return out as T["$inferSelect"];
}

/**
 * Drizzle-typed values (keys are `table`'s property names) as SQL for a hand-written statement:
 * each column's name, and its value encoded by the column and cast to the column's type.
 * `insertLists` gives an INSERT's two lists, `setClause` an UPDATE's `col = value, ...`.
 */
export function columnValues<T extends Table>(table: T, values: Partial<T["$inferInsert"]>): { name: SQL; value: SQL }[] {
  const columns = getTableColumns(table);
  return Object.entries(values as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .map(([key, v]) => {
      const column = columns[key];
      if (!column) throw new Error(`columnValues: ${key} is not a column of this table`);
      const value = v === null ? dsql`null` : dsql`${column.mapToDriverValue(v)}::${dsql.raw(column.getSQLType())}`;
      return { name: dsql`${dsql.identifier(column.name)}`, value };
    });
}

/** @example dsql`update ${t("orders")} set ${setClause(orders, { paymentId, leaseUntil: null })} where ...` */
export function setClause<T extends Table>(table: T, values: Partial<T["$inferInsert"]>): SQL {
  return dsql.join(columnValues(table, values).map((c) => dsql`${c.name} = ${c.value}`), dsql`, `);
}

/** @example const { names, values } = insertLists(orders, row); dsql`insert into ${t("orders")} (${names}) values (${values})` */
export function insertLists<T extends Table>(table: T, values: Partial<T["$inferInsert"]>): { names: SQL; values: SQL } {
  const cols = columnValues(table, values);
  return { names: dsql.join(cols.map((c) => c.name), dsql`, `), values: dsql.join(cols.map((c) => c.value), dsql`, `) };
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
