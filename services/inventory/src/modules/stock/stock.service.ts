import { DEFAULT_LOCATION, InventoryEvents, MAX_STOCK, type AdjustStockBody, type SetStockBody, type SkuStock, type StockChange, type StockLevel, type StockListQuery } from "@bazaar/contracts";
import type { Tx } from "@bazaar/service-kit/db";
import { AppError } from "@bazaar/service-kit/errors";
import { enqueue } from "@bazaar/service-kit/events";
import { createId } from "@bazaar/service-kit/ids";
import { emitLowStock } from "./stock.low.ts";
import { insertAdjustment, levelsOf, listLevels, lockLevel, recentAdjustments, setThreshold, toAdjustment, toLevel, writeLevel } from "./stock.repo.ts";

export const RECENT_ADJUSTMENTS = 20;

interface Change {
  sku: string;
  location: string;
  kind: "set" | "adjust";
  /** The new on-hand figure, given the current level (undefined when there is none). */
  next: (current: { on_hand: number; reserved: number } | undefined) => number;
  field: "onHand" | "delta";
  reason: string;
  actor: string;
}

async function change(tx: Tx, tenantId: string, c: Change): Promise<StockChange> {
  const current = await lockLevel(tx, c.sku, c.location);
  const onHand = c.next(current);
  const reserved = current?.reserved ?? 0;
  // Checked here, with the row locked, so the problem names the field; the table's CHECKs stay the backstop.
  if (onHand < 0) throw new AppError("conflict", `This would leave ${onHand} on hand.`, [{ path: c.field, message: `would take stock below zero (on hand ${current?.on_hand ?? 0})` }]);
  if (onHand > MAX_STOCK) throw new AppError("validation_failed", "Too much stock.", [{ path: c.field, message: `on hand may be at most ${MAX_STOCK}` }]);
  if (onHand < reserved) {
    throw new AppError("conflict", `${reserved} units are reserved for orders; on hand cannot go below that.`, [{ path: c.field, message: `would take on hand (${onHand}) below reserved (${reserved})` }]);
  }
  const level = await writeLevel(tx, c.sku, c.location, onHand);
  const delta = onHand - (current?.on_hand ?? 0);
  const adj = await insertAdjustment(tx, { id: createId("stockAdjustment"), sku: c.sku, location: c.location, kind: c.kind, delta, reason: c.reason, actor: c.actor, on_hand: level.on_hand, reserved: level.reserved });
  await enqueue(tx, InventoryEvents.stockAdjusted, {
    tenantId,
    aggregateId: c.sku,
    data: { sku: c.sku, location: c.location, delta, onHand: level.on_hand, reserved: level.reserved, actor: c.actor, reason: c.reason },
  });
  if (delta < 0) await emitLowStock(tx, tenantId, new Map([[c.sku, -delta]]));
  const row = (await levelsOf(tx, [c.sku])).find((l) => l.location === c.location)!;
  return { level: toLevel(row), adjustment: toAdjustment(adj) };
}

/** Set the on-hand figure of one location (a stock count); logged as an adjustment of the difference. */
export function setStock(tx: Tx, tenantId: string, sku: string, body: SetStockBody, actor: string): Promise<StockChange> {
  return change(tx, tenantId, { sku, location: body.location ?? DEFAULT_LOCATION, kind: "set", next: () => body.onHand, field: "onHand", reason: body.reason ?? "stock set", actor });
}

/** Add or remove units of one location, saying why. */
export function adjustStock(tx: Tx, tenantId: string, sku: string, body: AdjustStockBody, actor: string): Promise<StockChange> {
  return change(tx, tenantId, { sku, location: body.location ?? DEFAULT_LOCATION, kind: "adjust", next: (cur) => (cur?.on_hand ?? 0) + body.delta, field: "delta", reason: body.reason, actor });
}

export async function skuStock(tx: Tx, sku: string): Promise<SkuStock> {
  const levels = await levelsOf(tx, [sku]);
  if (levels.length === 0) throw new AppError("not_found", `No stock is recorded for SKU ${sku}.`);
  const adjustments = await recentAdjustments(tx, sku, RECENT_ADJUSTMENTS);
  return { sku, threshold: levels[0]!.threshold, levels: levels.map(toLevel), adjustments: adjustments.map(toAdjustment) };
}

const encodeCursor = (l: StockLevel) => Buffer.from(JSON.stringify([l.sku, l.location])).toString("base64url");
function decodeCursor(cursor: string): [string, string] {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === "string" && typeof v[1] === "string") return [v[0], v[1]];
  } catch {
    // fall through
  }
  throw new AppError("validation_failed", "The cursor is not valid.", [{ path: "cursor", message: "not a cursor from this list" }]);
}

export async function listStock(tx: Tx, q: StockListQuery): Promise<{ items: StockLevel[]; nextCursor: string | null }> {
  const rows = await listLevels(tx, { low: q.lowStock === "true", limit: q.limit + 1, ...(q.cursor ? { after: decodeCursor(q.cursor) } : {}) });
  const items = rows.slice(0, q.limit).map(toLevel);
  return { items, nextCursor: rows.length > q.limit ? encodeCursor(items[items.length - 1]!) : null };
}

/** Set or clear the SKU's low-stock threshold; answers its levels. */
export async function setStockThreshold(tx: Tx, sku: string, threshold: number | null): Promise<SkuStock> {
  await setThreshold(tx, sku, threshold);
  const levels = await levelsOf(tx, [sku]);
  return { sku, threshold, levels: levels.map(toLevel), adjustments: (await recentAdjustments(tx, sku, RECENT_ADJUSTMENTS)).map(toAdjustment) };
}
