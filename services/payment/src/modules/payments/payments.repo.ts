import { and, desc, eq, lt } from "drizzle-orm";
import type { Payment, PaymentAttempt } from "@bazaar/contracts";
import type { Tx } from "@bazaar/service-kit/db";
import { createId } from "@bazaar/service-kit/ids";
import { paymentAttempts, payments } from "../../db/schema/index.ts";
import type { AttemptRecord } from "../gateways/reliability.ts";

export type PaymentRow = typeof payments.$inferSelect;

export function toPayment(r: PaymentRow): Payment {
  return {
    id: r.id,
    orderId: r.orderId,
    provider: r.provider as Payment["provider"],
    status: r.status as Payment["status"],
    amount: r.amount,
    refundedAmount: r.refundedAmount,
    currency: r.currency,
    providerRef: r.providerRef,
    failureCode: r.failureCode,
    failureReason: r.failureReason,
    nextAction: (r.nextAction as Payment["nextAction"]) ?? null,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

export async function byId(tx: Tx, id: string, lock = false): Promise<PaymentRow | undefined> {
  const q = tx.select().from(payments).where(eq(payments.id, id));
  const [row] = lock ? await q.for("update") : await q;
  return row;
}

export async function byKey(tx: Tx, key: string): Promise<PaymentRow | undefined> {
  const [row] = await tx.select().from(payments).where(eq(payments.idempotencyKey, key));
  return row;
}

export async function byProviderRef(tx: Tx, provider: string, ref: string): Promise<PaymentRow | undefined> {
  const [row] = await tx.select().from(payments).where(and(eq(payments.provider, provider), eq(payments.providerRef, ref))).for("update");
  return row;
}

/** Insert unless the idempotency key exists; either way, the payment of that key. */
export async function insertOnce(tx: Tx, row: typeof payments.$inferInsert): Promise<{ row: PaymentRow; created: boolean }> {
  const [inserted] = await tx.insert(payments).values(row).onConflictDoNothing({ target: payments.idempotencyKey }).returning();
  if (inserted) return { row: inserted, created: true };
  return { row: (await byKey(tx, row.idempotencyKey))!, created: false };
}

export async function update(tx: Tx, id: string, set: Partial<typeof payments.$inferInsert>): Promise<PaymentRow> {
  const [row] = await tx.update(payments).set({ ...set, updatedAt: new Date() }).where(eq(payments.id, id)).returning();
  return row!;
}

export async function recordAttempts(tx: Tx, paymentId: string, operation: string, attempts: AttemptRecord[]): Promise<void> {
  if (attempts.length === 0) return;
  await tx.insert(paymentAttempts).values(attempts.map((a) => ({ id: createId("paymentAttempt"), paymentId, operation, ...a })));
}

export async function attemptsOf(tx: Tx, paymentId: string): Promise<PaymentAttempt[]> {
  const rows = await tx.select().from(paymentAttempts).where(eq(paymentAttempts.paymentId, paymentId)).orderBy(paymentAttempts.id);
  return rows.map((r) => ({
    id: r.id,
    operation: r.operation,
    attempt: r.attempt,
    outcome: r.outcome as PaymentAttempt["outcome"],
    code: r.code,
    detail: r.detail,
    durationMs: r.durationMs,
    createdAt: r.createdAt.toISOString(),
  }));
}

export async function list(tx: Tx, limit: number, cursor: string | undefined): Promise<{ items: Payment[]; nextCursor: string | null }> {
  const rows = await tx.select().from(payments).where(cursor ? lt(payments.id, cursor) : undefined).orderBy(desc(payments.id)).limit(limit + 1);
  const page = rows.slice(0, limit);
  return { items: page.map(toPayment), nextCursor: rows.length > limit ? page[page.length - 1]!.id : null };
}
