import { z } from "zod";
import { defineEvent } from "../events/envelope.ts";
import { Sku } from "../catalog/index.ts";

/** The largest stock figure a level holds (on hand, reserved, a delta, a threshold). */
export const MAX_STOCK = 1_000_000_000;

/** A stock location (warehouse, shop); `default` when none is named. */
export const StockLocation = z
  .string()
  .min(1)
  .max(40)
  .regex(/^[a-z0-9][a-z0-9_-]*$/, "lowercase letters, digits, '_' and '-' only");
export const DEFAULT_LOCATION = "default";

const Count = z.number().int("must be a whole number").min(0, "must not be negative").max(MAX_STOCK);

/** `PUT /api/v1/admin/inventory/{sku}`: set the on-hand figure of one location (logged as an adjustment). */
export const SetStockBody = z.object({
  onHand: Count,
  location: StockLocation.optional(),
  reason: z.string().trim().min(1).max(200).optional(),
});
export type SetStockBody = z.infer<typeof SetStockBody>;

/** `POST /api/v1/admin/inventory/{sku}/adjustments`: add or remove units, saying why. */
export const AdjustStockBody = z.object({
  delta: z
    .number()
    .int("must be a whole number")
    .min(-MAX_STOCK)
    .max(MAX_STOCK)
    .refine((d) => d !== 0, "must not be zero"),
  reason: z.string().trim().min(1, "say why").max(200),
  location: StockLocation.optional(),
});
export type AdjustStockBody = z.infer<typeof AdjustStockBody>;

/** `PUT /api/v1/admin/inventory/{sku}/threshold`: low-stock threshold of a SKU (null clears it). */
export const StockThresholdBody = z.object({ threshold: Count.nullable() });
export type StockThresholdBody = z.infer<typeof StockThresholdBody>;

export const StockLevel = z.object({
  sku: z.string(),
  location: z.string(),
  onHand: z.number().int(),
  reserved: z.number().int(),
  /** on hand minus reserved: what can still be sold. */
  available: z.number().int(),
  /** The SKU's low-stock threshold (null: none). */
  threshold: z.number().int().nullable(),
  /** The SKU's availability across locations is at or below its threshold. */
  low: z.boolean(),
  updatedAt: z.string(),
});
export type StockLevel = z.infer<typeof StockLevel>;

export const StockAdjustment = z.object({
  id: z.string(),
  sku: z.string(),
  location: z.string(),
  kind: z.enum(["set", "adjust"]),
  delta: z.number().int(),
  reason: z.string(),
  /** Who made it: the caller's subject. */
  actor: z.string(),
  /** The level after the change. */
  onHand: z.number().int(),
  reserved: z.number().int(),
  at: z.string(),
});
export type StockAdjustment = z.infer<typeof StockAdjustment>;

export const StockChange = z.object({ level: StockLevel, adjustment: StockAdjustment });
export type StockChange = z.infer<typeof StockChange>;

export const SkuStock = z.object({
  sku: z.string(),
  threshold: z.number().int().nullable(),
  levels: z.array(StockLevel),
  /** The latest adjustments, newest first. */
  adjustments: z.array(StockAdjustment),
});
export type SkuStock = z.infer<typeof SkuStock>;

export const StockListQuery = z.object({
  /** `true`: only SKUs at or below their threshold. */
  lowStock: z.enum(["true", "false"]).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().max(200).optional(),
});
export type StockListQuery = z.infer<typeof StockListQuery>;

export const StockLevelPage = z.object({ items: z.array(StockLevel), nextCursor: z.string().nullable() });

/** An order's id as the order service names it (reservations are keyed by it). */
export const ReservationOrderId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, "letters, digits, '_' and '-' only");

export const ReservationLine = z.object({
  sku: Sku,
  quantity: z.number().int("must be a whole number").min(1, "must be at least 1").max(100_000),
  location: StockLocation.optional(),
});
export type ReservationLine = z.infer<typeof ReservationLine>;

/** `POST /internal/inventory/reservations`: reserve every line or none. */
export const ReserveBody = z.object({
  orderId: ReservationOrderId,
  lines: z.array(ReservationLine).min(1).max(100),
  ttlSeconds: z.number().int().min(1).max(7 * 24 * 3600).default(900),
});
export type ReserveBody = z.input<typeof ReserveBody>;

export const ReservationStatus = z.enum(["held", "committed", "released", "expired"]);
export type ReservationStatus = z.infer<typeof ReservationStatus>;

export const Reservation = z.object({
  orderId: z.string(),
  status: ReservationStatus,
  lines: z.array(z.object({ sku: z.string(), location: z.string(), quantity: z.number().int() })),
  expiresAt: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Reservation = z.infer<typeof Reservation>;

const linesData = z.array(z.object({ sku: z.string(), location: z.string(), quantity: z.number().int() }));

/** Events on the `inventory` topic (thin payloads; read the level for figures you need fresh). */
export const InventoryEvents = {
  stockReserved: defineEvent({ type: "inventory.stock.reserved", version: 1, topic: "inventory", schema: z.object({ orderId: z.string(), lines: linesData, expiresAt: z.string() }) }),
  stockCommitted: defineEvent({ type: "inventory.stock.committed", version: 1, topic: "inventory", schema: z.object({ orderId: z.string(), lines: linesData }) }),
  stockReleased: defineEvent({
    type: "inventory.stock.released",
    version: 1,
    topic: "inventory",
    schema: z.object({ orderId: z.string(), lines: linesData, reason: z.enum(["released", "expired"]) }),
  }),
  stockAdjusted: defineEvent({
    type: "inventory.stock.adjusted",
    version: 1,
    topic: "inventory",
    schema: z.object({ sku: z.string(), location: z.string(), delta: z.number().int(), onHand: z.number().int(), reserved: z.number().int(), actor: z.string(), reason: z.string() }),
  }),
  stockLow: defineEvent({
    type: "inventory.stock.low",
    version: 1,
    topic: "inventory",
    schema: z.object({ sku: z.string(), available: z.number().int(), threshold: z.number().int() }),
  }),
};
