import { and, asc, desc, eq, gt, inArray, isNull, lt, lte, or, sql, type SQL } from "drizzle-orm";
import type { Delivery, DeliveryStatus, NotificationChannel } from "@bazaar/contracts";
import type { Tx } from "@bazaar/service-kit/db";
import { deliveries, deliveryAttempts } from "../../db/schema/index.ts";
import { createId } from "@bazaar/service-kit/ids";

export type DeliveryRow = typeof deliveries.$inferSelect;
export type NewDelivery = Omit<typeof deliveries.$inferInsert, "id" | "status" | "attempts">;

/** Insert messages once: a (source, template, channel, recipient) seen before is skipped. Answers how many are new. */
export async function insertOnce(tx: Tx, rows: NewDelivery[], now: Date): Promise<number> {
  if (rows.length === 0) return 0;
  let inserted = 0;
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500).map((r) => ({ ...r, id: createId("delivery"), status: "queued", attempts: 0, nextAttemptAt: now }));
    const out = await tx.insert(deliveries).values(chunk).onConflictDoNothing({ target: [deliveries.sourceId, deliveries.template, deliveries.channel, deliveries.recipient] }).returning({ id: deliveries.id });
    inserted += out.length;
  }
  return inserted;
}

const due = (now: Date) => and(inArray(deliveries.status, ["queued", "failed"]), lte(deliveries.nextAttemptAt, now), or(isNull(deliveries.leaseUntil), lt(deliveries.leaseUntil, now)));

/**
 * Take up to `limit` due messages for this instance until `leaseUntil` (another instance skips them;
 * one that died lets its lease run out). `where` narrows (campaign messages of one channel).
 */
export async function claimDue(tx: Tx, now: Date, leaseUntil: Date, limit: number, where: SQL | undefined): Promise<DeliveryRow[]> {
  if (limit <= 0) return [];
  const ids = tx.select({ id: deliveries.id }).from(deliveries).where(and(due(now), where)).orderBy(asc(deliveries.nextAttemptAt)).limit(limit).for("update", { skipLocked: true });
  return tx.update(deliveries).set({ leaseUntil }).where(inArray(deliveries.id, ids)).returning();
}

/** Campaign messages of a channel sent in the last minute (the throttle's window). */
export async function sentLastMinute(tx: Tx, channel: NotificationChannel, now: Date): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(deliveries)
    .where(and(eq(deliveries.source, "campaign"), eq(deliveries.channel, channel), gt(deliveries.sentAt, new Date(now.getTime() - 60_000))));
  return row?.n ?? 0;
}

export async function recordAttempt(
  tx: Tx,
  row: DeliveryRow,
  outcome: { status: DeliveryStatus; provider: string; error: string | null; ref: string | null; durationMs: number; nextAttemptAt: Date | null; at: Date },
): Promise<void> {
  const attempt = row.attempts + 1;
  await tx.insert(deliveryAttempts).values({
    id: createId("deliveryAttempt"),
    deliveryId: row.id,
    attempt,
    outcome: outcome.status === "sent" ? "sent" : outcome.status === "bounced" ? "bounced" : "failed",
    provider: outcome.provider,
    error: outcome.error,
    durationMs: Math.round(outcome.durationMs),
    createdAt: outcome.at,
  });
  await tx
    .update(deliveries)
    .set({
      status: outcome.status,
      attempts: attempt,
      provider: outcome.provider,
      lastError: outcome.error,
      nextAttemptAt: outcome.nextAttemptAt,
      leaseUntil: null,
      updatedAt: outcome.at,
      ...(outcome.ref ? { providerRef: outcome.ref } : {}),
      ...(outcome.status === "sent" ? { sentAt: outcome.at } : {}),
    })
    .where(eq(deliveries.id, row.id));
}

export async function list(tx: Tx, q: { status?: DeliveryStatus | undefined; channel?: NotificationChannel | undefined; limit: number; cursor?: string | undefined }) {
  const rows = await tx
    .select()
    .from(deliveries)
    .where(and(q.status ? eq(deliveries.status, q.status) : undefined, q.channel ? eq(deliveries.channel, q.channel) : undefined, q.cursor ? lt(deliveries.id, q.cursor) : undefined))
    .orderBy(desc(deliveries.id))
    .limit(q.limit + 1);
  const more = rows.length > q.limit;
  const items = rows.slice(0, q.limit);
  return { items: items.map(view), nextCursor: more ? (items.at(-1)?.id ?? null) : null };
}

export async function byId(tx: Tx, id: string): Promise<DeliveryRow | undefined> {
  const [row] = await tx.select().from(deliveries).where(eq(deliveries.id, id));
  return row;
}

export async function attemptsOf(tx: Tx, id: string) {
  const rows = await tx.select().from(deliveryAttempts).where(eq(deliveryAttempts.deliveryId, id)).orderBy(asc(deliveryAttempts.attempt), asc(deliveryAttempts.id));
  return rows.map((a) => ({ attempt: a.attempt, outcome: a.outcome as "sent" | "failed" | "bounced", provider: a.provider, error: a.error, durationMs: a.durationMs, at: a.createdAt.toISOString() }));
}

/**
 * Queue a message again now, with a fresh attempt budget (the merchant's resend). A message a sender
 * holds right now (its lease still runs) is left alone: clearing that lease would let a second
 * sender take it while the first is still sending. `in_flight` says so.
 */
export async function requeue(tx: Tx, id: string, now: Date): Promise<DeliveryRow | "in_flight" | undefined> {
  const [row] = await tx
    .update(deliveries)
    .set({ status: "queued", attempts: 0, nextAttemptAt: now, leaseUntil: null, lastError: null, updatedAt: now })
    .where(and(eq(deliveries.id, id), or(isNull(deliveries.leaseUntil), lte(deliveries.leaseUntil, now))))
    .returning();
  if (row) return row;
  const [exists] = await tx.select({ id: deliveries.id }).from(deliveries).where(eq(deliveries.id, id));
  return exists ? "in_flight" : undefined;
}

export function view(r: DeliveryRow): Delivery {
  return {
    id: r.id,
    source: r.source,
    sourceId: r.sourceId,
    template: r.template,
    channel: r.channel,
    recipient: r.recipient,
    status: r.status as DeliveryStatus,
    subject: r.subject,
    attempts: r.attempts,
    nextAttemptAt: r.nextAttemptAt?.toISOString() ?? null,
    lastError: r.lastError,
    provider: r.provider,
    sentAt: r.sentAt?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
  };
}
