import { DEFAULT_LOCATION, type Reservation, type ReservationLine } from "@bazaar/contracts";

export interface ReserveInput {
  orderId: string;
  lines: ReservationLine[];
  ttlSeconds: number;
}

/** A line as stored: one per (sku, location), quantities of repeated lines summed. */
export interface NormalLine {
  sku: string;
  location: string;
  quantity: number;
  /** Where the line first appears in the request (for problems naming it). */
  index: number;
}

/**
 * Reservations over some store of stock levels: Postgres (default) or MongoDB. Every implementation
 * passes the same contract suite (test/int/reservations.contract.ts).
 */
export interface ReservationStore {
  /** All lines or none; the same order id again answers the existing reservation (`created: false`). Throws `out_of_stock` naming short lines. */
  reserve(tenantId: string, input: ReserveInput): Promise<{ reservation: Reservation; created: boolean }>;
  /** Held -> committed (on payment): on hand and reserved both drop. Idempotent; a released or expired reservation is a 409. */
  commit(tenantId: string, orderId: string): Promise<Reservation>;
  /** Held -> released (on cancel). Idempotent; a committed reservation is a 409. */
  release(tenantId: string, orderId: string): Promise<Reservation>;
  get(tenantId: string, orderId: string): Promise<Reservation | undefined>;
  /** Release held reservations past their expiry (every tenant); answers how many. Safe to run on several instances at once. */
  expire(now?: Date): Promise<number>;
}

/**
 * Merge repeated (sku, location) lines and sort them: every writer takes row locks in this one order,
 * so concurrent reservations can wait for each other but never deadlock.
 */
export function normaliseLines(lines: ReservationLine[]): NormalLine[] {
  const byKey = new Map<string, NormalLine>();
  lines.forEach((l, index) => {
    const location = l.location ?? DEFAULT_LOCATION;
    const key = `${l.sku}\u0000${location}`;
    const seen = byKey.get(key);
    if (seen) seen.quantity += l.quantity;
    else byKey.set(key, { sku: l.sku, location, quantity: l.quantity, index });
  });
  return [...byKey.values()].sort(compareLines);
}

export function compareLines(a: { sku: string; location: string }, b: { sku: string; location: string }): number {
  if (a.sku !== b.sku) return a.sku < b.sku ? -1 : 1;
  return a.location < b.location ? -1 : a.location > b.location ? 1 : 0;
}

/** The problem's field errors for lines that could not be reserved. */
export function shortLineErrors(short: (NormalLine & { available: number })[]) {
  return short.map((l) => ({ path: `lines.${l.index}`, message: `${l.sku} (${l.location}): ${l.quantity} requested, ${Math.max(0, l.available)} available` }));
}
