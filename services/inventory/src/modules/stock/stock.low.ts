import { sql } from "drizzle-orm";
import { InventoryEvents } from "@bazaar/contracts";
import { enqueue } from "@bazaar/service-kit/events";
import type { Tx } from "@bazaar/service-kit/db";

/**
 * After availability of some SKUs dropped (`dropped`: units per SKU), emit `inventory.stock.low` for
 * each SKU whose availability across locations crossed its threshold: above it before, at or below now.
 * Call it inside the transaction that made the change, after the change.
 */
export async function emitLowStock(tx: Tx, tenantId: string, dropped: Map<string, number>): Promise<void> {
  if (dropped.size === 0) return;
  const rows = await tx.execute<{ sku: string; threshold: number; available: number }>(sql`
    select t.sku, t.threshold,
           coalesce((select sum(l.on_hand - l.reserved) from stock_levels l where l.sku = t.sku), 0)::int as available
    from stock_thresholds t where t.sku = any(${sql.param([...dropped.keys()])}::text[])`);
  for (const r of rows) {
    const before = r.available + (dropped.get(r.sku) ?? 0);
    if (before > r.threshold && r.available <= r.threshold) {
      await enqueue(tx, InventoryEvents.stockLow, { tenantId, aggregateId: r.sku, data: { sku: r.sku, available: r.available, threshold: r.threshold } });
    }
  }
}
