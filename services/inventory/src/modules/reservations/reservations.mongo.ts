import { MongoServerError, type ClientSession, type Collection, type Db, type MongoClient } from "mongodb";
import { InventoryEvents, type Reservation, type ReservationStatus } from "@bazaar/contracts";
import { AppError } from "@bazaar/service-kit/errors";
import { createId } from "@bazaar/service-kit/ids";
import { compareLines, normaliseLines, shortLineErrors, type NormalLine, type ReservationStore, type ReserveInput } from "./reservations.store.ts";

type Line = { sku: string; location: string; quantity: number };
export interface LevelDoc {
  _id: string;
  tenantId: string;
  sku: string;
  location: string;
  onHand: number;
  reserved: number;
  updatedAt: Date;
}
interface ReservationDoc {
  _id: string;
  tenantId: string;
  orderId: string;
  status: ReservationStatus;
  lines: Line[];
  expiresAt: Date;
  createdAt: Date;
  updatedAt: Date;
}
/** Events written in the same transaction as the change (a relay from here to the bus is not built yet). */
interface OutboxDoc {
  _id: string;
  tenantId: string;
  type: string;
  aggregateId: string;
  data: unknown;
  at: Date;
}

export const levelKey = (tenantId: string, sku: string, location: string) => `${tenantId}:${sku}:${location}`;
const reservationKey = (tenantId: string, orderId: string) => `${tenantId}:${orderId}`;

const toReservation = (d: ReservationDoc): Reservation => ({
  orderId: d.orderId,
  status: d.status,
  lines: [...d.lines].sort(compareLines),
  expiresAt: d.expiresAt.toISOString(),
  createdAt: d.createdAt.toISOString(),
  updatedAt: d.updatedAt.toISOString(),
});

/**
 * Reservations over MongoDB (`MONGODB_URL`): every tenant's levels in one collection keyed
 * `tenant:sku:location`; a line is reserved by a conditional `findOneAndUpdate` (only when on hand
 * minus reserved covers it), all lines of an order in one transaction (a replica set is required),
 * in the same fixed order as the Postgres store.
 */
export class MongoReservations implements ReservationStore {
  readonly levels: Collection<LevelDoc>;
  readonly reservations: Collection<ReservationDoc>;
  readonly outbox: Collection<OutboxDoc>;

  constructor(
    private readonly client: MongoClient,
    db: Db,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.levels = db.collection<LevelDoc>("stock_levels");
    this.reservations = db.collection<ReservationDoc>("reservations");
    this.outbox = db.collection<OutboxDoc>("inventory_outbox");
  }

  async init(): Promise<void> {
    await this.reservations.createIndex({ status: 1, expiresAt: 1 });
    await this.levels.createIndex({ tenantId: 1, sku: 1, location: 1 }, { unique: true });
  }

  private async transaction<T>(fn: (session: ClientSession) => Promise<T>): Promise<T> {
    const session = this.client.startSession();
    try {
      return await session.withTransaction(() => fn(session));
    } finally {
      await session.endSession();
    }
  }

  private async emit(session: ClientSession, tenantId: string, type: string, aggregateId: string, data: unknown): Promise<void> {
    await this.outbox.insertOne({ _id: createId("event"), tenantId, type, aggregateId, data, at: this.clock() }, { session });
  }

  async reserve(tenantId: string, input: ReserveInput): Promise<{ reservation: Reservation; created: boolean }> {
    const lines = normaliseLines(input.lines);
    const key = reservationKey(tenantId, input.orderId);
    try {
      return await this.transaction(async (session) => {
        const existing = await this.reservations.findOne({ _id: key }, { session });
        if (existing) return { reservation: toReservation(existing), created: false };
        const now = this.clock();
        const short: (NormalLine & { available: number })[] = [];
        for (const l of lines) {
          const updated = await this.levels.findOneAndUpdate(
            { _id: levelKey(tenantId, l.sku, l.location), $expr: { $gte: [{ $subtract: ["$onHand", "$reserved"] }, l.quantity] } },
            { $inc: { reserved: l.quantity }, $set: { updatedAt: now } },
            { session },
          );
          if (!updated) {
            const level = await this.levels.findOne({ _id: levelKey(tenantId, l.sku, l.location) }, { session });
            short.push({ ...l, available: level ? level.onHand - level.reserved : 0 });
          }
        }
        // Thrown inside the transaction: it aborts, and no line stays reserved.
        if (short.length > 0) throw new AppError("out_of_stock", `Not enough stock for: ${short.map((l) => l.sku).join(", ")}.`, shortLineErrors(short));
        const doc: ReservationDoc = {
          _id: key,
          tenantId,
          orderId: input.orderId,
          status: "held",
          lines: lines.map(({ sku, location, quantity }) => ({ sku, location, quantity })),
          expiresAt: new Date(now.getTime() + input.ttlSeconds * 1000),
          createdAt: now,
          updatedAt: now,
        };
        await this.reservations.insertOne(doc, { session });
        await this.emit(session, tenantId, InventoryEvents.stockReserved.type, input.orderId, { orderId: input.orderId, lines: doc.lines, expiresAt: doc.expiresAt.toISOString() });
        return { reservation: toReservation(doc), created: true };
      });
    } catch (err) {
      // A concurrent first reservation of the same order won: answer it.
      if (err instanceof MongoServerError && err.code === 11000) {
        const existing = await this.reservations.findOne({ _id: key });
        if (existing) return { reservation: toReservation(existing), created: false };
      }
      throw err;
    }
  }

  private async settle(tenantId: string, orderId: string, to: "committed" | "released" | "expired", session: ClientSession): Promise<{ reservation: Reservation; changed: boolean }> {
    const r = await this.reservations.findOne({ _id: reservationKey(tenantId, orderId) }, { session });
    if (!r) throw new AppError("not_found", `No reservation for order ${orderId}.`);
    const done = to === "committed" ? r.status === "committed" : r.status === "released" || r.status === "expired";
    if (done) return { reservation: toReservation(r), changed: false };
    if (r.status !== "held") throw new AppError("conflict", `The reservation is ${r.status}; it cannot be ${to}.`);
    const now = this.clock();
    // Claim the reservation first: of two instances settling it, only one sees it still held.
    const claimed = await this.reservations.findOneAndUpdate({ _id: r._id, status: "held" }, { $set: { status: to, updatedAt: now } }, { session, returnDocument: "after" });
    if (!claimed) throw new AppError("conflict", "The reservation changed meanwhile.");
    for (const l of [...r.lines].sort(compareLines)) {
      const inc = to === "committed" ? { onHand: -l.quantity, reserved: -l.quantity } : { reserved: -l.quantity };
      await this.levels.updateOne({ _id: levelKey(tenantId, l.sku, l.location) }, { $inc: inc, $set: { updatedAt: now } }, { session });
    }
    if (to === "committed") await this.emit(session, tenantId, InventoryEvents.stockCommitted.type, orderId, { orderId, lines: r.lines });
    else await this.emit(session, tenantId, InventoryEvents.stockReleased.type, orderId, { orderId, lines: r.lines, reason: to });
    return { reservation: toReservation(claimed), changed: true };
  }

  commit(tenantId: string, orderId: string): Promise<Reservation> {
    return this.transaction(async (s) => (await this.settle(tenantId, orderId, "committed", s)).reservation);
  }

  release(tenantId: string, orderId: string): Promise<Reservation> {
    return this.transaction(async (s) => (await this.settle(tenantId, orderId, "released", s)).reservation);
  }

  async get(tenantId: string, orderId: string): Promise<Reservation | undefined> {
    const r = await this.reservations.findOne({ _id: reservationKey(tenantId, orderId) });
    return r ? toReservation(r) : undefined;
  }

  async expire(now: Date = this.clock()): Promise<number> {
    const due = await this.reservations.find({ status: "held", expiresAt: { $lte: now } }).limit(500).toArray();
    let n = 0;
    for (const r of due) {
      try {
        const { changed } = await this.transaction((s) => this.settle(r.tenantId, r.orderId, "expired", s));
        if (changed) n++;
      } catch (err) {
        // Another instance settled it first (or the order committed): nothing to do.
        if (!(err instanceof AppError)) throw err;
      }
    }
    return n;
  }
}
