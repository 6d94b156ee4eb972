import { sql, type SQL } from "drizzle-orm";
import { InventoryEvents } from "@bazaar/contracts";
import { enqueueMany } from "@bazaar/service-kit/events";
import type { Tx } from "@bazaar/service-kit/db";

export type ThresholdRow = { sku: string; threshold: number; available: number };

/** The thresholds of some SKUs with their availability across locations now (a statement to run, or to end a bigger one with). */
export function thresholdsOf(skus: string[]): SQL {
  return sql`
    select t.sku, t.threshold,
           coalesce((select sum(l.on_hand - l.reserved) from stock_levels l where l.sku = t.sku), 0)::int as available
    from stock_thresholds t where t.sku = any(${sql.param(skus)}::text[])`;
}

/**
 * Emit `inventory.stock.low` for each SKU whose availability crossed its threshold: above it before
 * (availability now plus `dropped`, the units it just lost), at or below it now. `rows` are
 * `thresholdsOf` read after the change, in the transaction that made it.
 */
export async function enqueueLowStock(tx: Tx, tenantId: string, rows: Iterable<ThresholdRow>, dropped: Map<string, number>): Promise<void> {
  const crossed = [...rows].filter((r) => r.available + (dropped.get(r.sku) ?? 0) > r.threshold && r.available <= r.threshold);
  await enqueueMany(tx, InventoryEvents.stockLow, crossed.map((r) => ({ tenantId, aggregateId: r.sku, data: { sku: r.sku, available: r.available, threshold: r.threshold } })));
}

/**
 * After availability of some SKUs dropped (`dropped`: units per SKU), emit `inventory.stock.low` for
 * each SKU that crossed its threshold. Call it inside the transaction that made the change, after the change.
 */
export async function emitLowStock(tx: Tx, tenantId: string, dropped: Map<string, number>): Promise<void> {
  if (dropped.size === 0) return;
  await enqueueLowStock(tx, tenantId, await tx.execute<ThresholdRow>(thresholdsOf([...dropped.keys()])), dropped);
}
