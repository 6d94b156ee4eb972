import { and, desc, eq, lt, sql } from "drizzle-orm";
import type { Payment, PaymentAttempt } from "@bazaar/contracts";
import { PaymentEvents, type PaymentProvider } from "@bazaar/contracts";
import { fromDriverRow, insertLists, setClause, type Tx } from "@bazaar/service-kit/db";
import { outboxInsert } from "@bazaar/service-kit/events";
import type { Tenancy } from "@bazaar/service-kit/tenancy";
import { createId } from "@bazaar/service-kit/ids";
import { gatewaySettings, paymentAttempts, payments } from "../../db/schema/index.ts";
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

/** The store's gateway settings rows, in one statement outside a transaction. */
export async function settingsRows(tenancy: Tenancy, tenantId: string): Promise<(typeof gatewaySettings.$inferSelect)[]> {
  const rows = await tenancy.read(tenantId, (t) => sql`select * from ${t("gateway_settings")}`);
  return rows.map((r) => fromDriverRow(gatewaySettings, r));
}

/**
 * `insertOnce` in one statement outside a transaction. A request racing on the same key may
 * commit between this statement's snapshot and its insert; then the key's row is read once more.
 */
export async function insertOnceStatement(tenancy: Tenancy, tenantId: string, row: typeof payments.$inferInsert): Promise<{ row: PaymentRow; created: boolean }> {
  const { names, values } = insertLists(payments, row);
  const [raw] = await tenancy.statement<Record<string, unknown> & { created: boolean }>(
    tenantId,
    (t) => sql`
      with ins as (insert into ${t("payments")} (${names}) values (${values}) on conflict (idempotency_key) do nothing returning *)
      select *, true as created from ins
      union all
      select *, false as created from ${t("payments")} where idempotency_key = ${row.idempotencyKey} and not exists (select 1 from ins)`,
  );
  if (raw) return { row: fromDriverRow(payments, raw), created: raw.created };
  const [again] = await tenancy.read(tenantId, (t) => sql`select * from ${t("payments")} where idempotency_key = ${row.idempotencyKey}`);
  return { row: fromDriverRow(payments, again!), created: false };
}

/**
 * A provider's answer to a new payment, in one statement: the attempts are logged, and the payment
 * moves to the answer's status (with its event in the outbox) unless it already left
 * pending/requires_action or has that status. Undefined when it did not move.
 */
export async function settleStatement(
  tenancy: Tenancy,
  tenantId: string,
  row: PaymentRow,
  set: { status: string; providerRef: string | null; nextAction: unknown; failureCode: string | null; failureReason: string | null },
  operation: string,
  attempts: AttemptRecord[],
): Promise<PaymentRow | undefined> {
  const event = { paymentId: row.id, orderId: row.orderId, provider: row.provider as PaymentProvider, amount: row.amount, currency: row.currency };
  const m = sql`m`;
  const events =
    set.status === "succeeded"
      ? [outboxInsert(PaymentEvents.succeeded, [{ tenantId, aggregateId: row.id, data: event }], { from: m }).statement]
      : set.status === "failed"
        ? [outboxInsert(PaymentEvents.failed, [{ tenantId, aggregateId: row.id, data: { ...event, reason: set.failureCode ?? "failed" } }], { from: m }).statement]
        : [];
  const rows = await tenancy.statement(tenantId, (t) => {
    const log = attempts.length
      ? sql`, a as (insert into ${t("payment_attempts")} (id, payment_id, operation, attempt, outcome, code, detail, duration_ms)
          select * from unnest(${sql.param(attempts.map(() => createId("paymentAttempt")))}::text[], ${sql.param(attempts.map(() => row.id))}::text[],
            ${sql.param(attempts.map(() => operation))}::text[], ${sql.param(attempts.map((a) => a.attempt))}::int[],
            ${sql.param(attempts.map((a) => a.outcome))}::text[], ${sql.param(attempts.map((a) => a.code ?? null))}::text[],
            ${sql.param(attempts.map((a) => a.detail ?? null))}::text[], ${sql.param(attempts.map((a) => Math.round(a.durationMs)))}::int[]))`
      : sql``;
    return sql`
      with m as (
        update ${t("payments")} set ${setClause(payments, { ...set, providerRef: set.providerRef ?? row.providerRef, updatedAt: new Date() })}
        where id = ${row.id} and status in ('pending', 'requires_action') and status <> ${set.status}
        returning *
      )${log}${sql.join(events.map((e, i) => sql`, e${sql.raw(String(i))} as (${e})`), sql``)}
      select * from m`;
  });
  return rows[0] ? fromDriverRow(payments, rows[0]) : undefined;
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
