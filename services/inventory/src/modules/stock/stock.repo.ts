import { sql } from "drizzle-orm";
import type { StockAdjustment, StockLevel } from "@bazaar/contracts";
import type { Tx } from "@bazaar/service-kit/db";

export type LevelRow = { sku: string; location: string; on_hand: number; reserved: number; threshold: number | null; sku_available: number; updated_at: Date | string };
export type AdjustmentRow = { id: string; sku: string; location: string; kind: "set" | "adjust"; delta: number; reason: string; actor: string; on_hand: number; reserved: number; at: Date | string };

const iso = (d: Date | string) => (d instanceof Date ? d : new Date(d)).toISOString();

export const toLevel = (r: LevelRow): StockLevel => ({
  sku: r.sku,
  location: r.location,
  onHand: r.on_hand,
  reserved: r.reserved,
  available: r.on_hand - r.reserved,
  threshold: r.threshold,
  low: r.threshold !== null && r.sku_available <= r.threshold,
  updatedAt: iso(r.updated_at),
});

export const toAdjustment = (r: AdjustmentRow): StockAdjustment => ({
  id: r.id,
  sku: r.sku,
  location: r.location,
  kind: r.kind,
  delta: r.delta,
  reason: r.reason,
  actor: r.actor,
  onHand: r.on_hand,
  reserved: r.reserved,
  at: iso(r.at),
});

const LEVEL_COLUMNS = sql`l.sku, l.location, l.on_hand, l.reserved, l.updated_at, t.threshold,
  (select coalesce(sum(x.on_hand - x.reserved), 0)::int from stock_levels x where x.sku = l.sku) as sku_available`;

/** Levels of some SKUs (all locations), with their threshold. */
export async function levelsOf(tx: Tx, skus: string[]): Promise<LevelRow[]> {
  return [
    ...(await tx.execute<LevelRow>(sql`
      select ${LEVEL_COLUMNS} from stock_levels l left join stock_thresholds t on t.sku = l.sku
      where l.sku = any(${sql.param(skus)}::text[]) order by l.sku, l.location`)),
  ];
}

/** A page of levels in (sku, location) order after `after`; `low` keeps SKUs at or below their threshold. */
export async function listLevels(tx: Tx, opts: { low: boolean; limit: number; after?: [string, string] }): Promise<LevelRow[]> {
  const after = opts.after ? sql`and (l.sku, l.location) > (${opts.after[0]}, ${opts.after[1]})` : sql``;
  const rows = await tx.execute<LevelRow>(sql`
    select * from (
      select ${LEVEL_COLUMNS} from stock_levels l left join stock_thresholds t on t.sku = l.sku
      where true ${after}
    ) v
    where ${opts.low ? sql`v.threshold is not null and v.sku_available <= v.threshold` : sql`true`}
    order by v.sku, v.location limit ${opts.limit}`);
  return [...rows];
}

export async function recentAdjustments(tx: Tx, sku: string, limit: number): Promise<AdjustmentRow[]> {
  return [...(await tx.execute<AdjustmentRow>(sql`select * from stock_adjustments where sku = ${sku} order by at desc, id desc limit ${limit}`))];
}

/** The level of one location, locked for the rest of the transaction (undefined when it has none). */
export async function lockLevel(tx: Tx, sku: string, location: string): Promise<{ on_hand: number; reserved: number } | undefined> {
  const rows = await tx.execute<{ on_hand: number; reserved: number }>(sql`
    select on_hand, reserved from stock_levels where sku = ${sku} and location = ${location} for update`);
  return rows[0];
}

export async function writeLevel(tx: Tx, sku: string, location: string, onHand: number): Promise<{ on_hand: number; reserved: number }> {
  const rows = await tx.execute<{ on_hand: number; reserved: number }>(sql`
    insert into stock_levels (sku, location, on_hand) values (${sku}, ${location}, ${onHand})
    on conflict (sku, location) do update set on_hand = excluded.on_hand, updated_at = now()
    returning on_hand, reserved`);
  return rows[0]!;
}

export async function insertAdjustment(tx: Tx, row: Omit<AdjustmentRow, "at">): Promise<AdjustmentRow> {
  const rows = await tx.execute<AdjustmentRow>(sql`
    insert into stock_adjustments (id, sku, location, kind, delta, reason, actor, on_hand, reserved)
    values (${row.id}, ${row.sku}, ${row.location}, ${row.kind}, ${row.delta}, ${row.reason}, ${row.actor}, ${row.on_hand}, ${row.reserved})
    returning *`);
  return rows[0]!;
}

export async function setThreshold(tx: Tx, sku: string, threshold: number | null): Promise<void> {
  if (threshold === null) await tx.execute(sql`delete from stock_thresholds where sku = ${sku}`);
  else {
    await tx.execute(sql`
      insert into stock_thresholds (sku, threshold) values (${sku}, ${threshold})
      on conflict (sku) do update set threshold = excluded.threshold, updated_at = now()`);
  }
}
