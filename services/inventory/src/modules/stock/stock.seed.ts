import { sql } from "drizzle-orm";
import { CatalogEvents, DEFAULT_LOCATION, InventoryEvents, MAX_STOCK } from "@bazaar/contracts";
import type { Tx } from "@bazaar/service-kit/db";
import { defineHandler, enqueueMany } from "@bazaar/service-kit/events";
import { createId } from "@bazaar/service-kit/ids";

const REASON = "initial stock from the catalog";

/**
 * Give SKUs the catalog just created a level at the default location, holding the stock they were
 * created with (a product form's or an import's `stock`), logged as an adjustment by `catalog`. A
 * SKU that already has a level keeps it: from then on the inventory service is the truth, changed
 * through its own API.
 */
export async function seedLevels(tx: Tx, tenantId: string, variants: { sku: string; stock: number }[]): Promise<number> {
  const rows = variants.map((v) => ({ ...v, stock: Math.min(Math.max(0, v.stock), MAX_STOCK), id: createId("stockAdjustment") }));
  if (rows.length === 0) return 0;
  const inserted = await tx.execute<{ sku: string; on_hand: number }>(sql`
    with input as (
      select * from unnest(${sql.param(rows.map((r) => r.sku))}::text[], ${sql.param(rows.map((r) => r.stock))}::int[], ${sql.param(rows.map((r) => r.id))}::text[]) as x(sku, stock, id)
    ), ins as (
      insert into stock_levels (sku, location, on_hand)
      select sku, ${DEFAULT_LOCATION}, stock from input order by sku
      on conflict do nothing
      returning sku, on_hand
    ), adj as (
      insert into stock_adjustments (id, sku, location, kind, delta, reason, actor, on_hand, reserved)
      select input.id, ins.sku, ${DEFAULT_LOCATION}, 'set', ins.on_hand, ${REASON}, 'catalog', ins.on_hand, 0
      from ins join input on input.sku = ins.sku
    )
    select sku, on_hand from ins`);
  await enqueueMany(
    tx,
    InventoryEvents.stockAdjusted,
    inserted.map((r) => ({ tenantId, aggregateId: r.sku, data: { sku: r.sku, location: DEFAULT_LOCATION, delta: r.on_hand, onHand: r.on_hand, reserved: 0, actor: "catalog", reason: REASON } })),
  );
  return inserted.length;
}

/** The catalog's new products and variants seed stock levels (inbox: once per event). */
export const seedHandlers = [
  defineHandler(CatalogEvents.productCreated, async (tx, e) => void (await seedLevels(tx, e.tenantId, e.data.variants ?? []))),
  defineHandler(CatalogEvents.variantChanged, async (tx, e) => {
    if (e.data.change === "created") await seedLevels(tx, e.tenantId, [{ sku: e.data.sku, stock: e.data.stock ?? 0 }]);
  }),
];
