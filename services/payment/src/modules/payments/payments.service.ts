import { PaymentEvents, type CreatePaymentBody, type Payment, type PaymentProvider, type RefundBody } from "@bazaar/contracts";
import type { Tx } from "@bazaar/service-kit/db";
import { AppError } from "@bazaar/service-kit/errors";
import { enqueue } from "@bazaar/service-kit/events";
import { createId } from "@bazaar/service-kit/ids";
import type { Tenancy } from "@bazaar/service-kit/tenancy";
import { GatewayError, type Credentials, type GatewayRegistry, type PaymentGateway, type ProviderResult } from "../gateways/gateway.ts";
import { callProvider, CircuitBreaker, type AttemptRecord, type RetryOptions } from "../gateways/reliability.ts";
import type { GatewaySettingsService } from "../settings/settings.service.ts";
import * as repo from "./payments.repo.ts";

export interface PaymentsDeps {
  tenancy: Tenancy;
  registry: GatewayRegistry;
  settings: GatewaySettingsService;
  retry: RetryOptions;
  breaker: { threshold: number; cooldownMs: number };
}

type Outcome<T> = { ok: true; value: T; attempts: AttemptRecord[] } | { ok: false; error: GatewayError; attempts: AttemptRecord[] };

/** Payments: one per idempotency key, taken through the store's gateway, every provider call logged. */
export class PaymentsService {
  private readonly breakers = new Map<PaymentProvider, CircuitBreaker>();

  constructor(private readonly deps: PaymentsDeps) {}

  /** The breaker of a provider (one per provider and process). */
  breaker(provider: PaymentProvider): CircuitBreaker {
    let b = this.breakers.get(provider);
    if (!b) this.breakers.set(provider, (b = new CircuitBreaker(this.deps.breaker)));
    return b;
  }

  /**
   * Take a payment: three statements, no transaction held across the provider call (settings read,
   * the payment stored once per key, then the answer with its attempts and event). The provider is
   * called with a key derived from the payment, so a retry after a crash is deduplicated there.
   */
  async create(tenantId: string, body: CreatePaymentBody): Promise<Payment> {
    const { tenancy, settings } = this.deps;
    const rows = await repo.settingsRows(tenancy, tenantId);
    const provider = body.method.provider ?? settings.defaultProvider(rows);
    const creds = settings.credentialsFrom(rows, tenantId, provider, { requireEnabled: true });
    const { row, created } = await repo.insertOnceStatement(tenancy, tenantId, {
      id: createId("payment"),
      orderId: body.orderId,
      provider,
      status: "pending",
      amount: body.amount,
      currency: body.currency,
      idempotencyKey: body.idempotencyKey,
    });
    if (!created && (row.orderId !== body.orderId || row.amount !== body.amount || row.currency !== body.currency)) {
      throw new AppError("conflict", "This idempotency key was used for another payment.");
    }
    // A payment already answered is returned as it is; a pending one (a crash or an outage before the
    // answer) is asked again with the same provider key, which the provider deduplicates.
    if (row.status !== "pending") return repo.toPayment(row);
    const gateway = this.gateway(row.provider as PaymentProvider);
    const outcome = await this.call(gateway, () =>
      gateway.createPayment(creds, { paymentId: row.id, orderId: row.orderId, amount: row.amount, currency: row.currency, method: body.method, idempotencyKey: `${row.id}:create` }),
    );
    const last = outcome.attempts.at(-1);
    // A decline went through the transport fine: the attempt log says what the provider answered.
    if (outcome.ok && outcome.value.status === "failed" && last) Object.assign(last, { outcome: "declined", code: outcome.value.failureCode ?? null, detail: outcome.value.failureReason ?? null });
    const result: ProviderResult = outcome.ok ? outcome.value : { status: "failed", providerRef: null, failureCode: outcome.error.code, failureReason: outcome.error.message };
    const moved = await repo.settleStatement(
      tenancy,
      tenantId,
      row,
      { status: result.status, providerRef: result.providerRef ?? null, nextAction: result.nextAction ?? null, failureCode: result.failureCode ?? null, failureReason: result.failureReason ?? null },
      "create",
      outcome.attempts,
    );
    if (moved) return repo.toPayment(moved);
    // Someone else (a webhook, a concurrent retry) moved it first: answer what is stored.
    return tenancy.withTenant(tenantId, async (tx) => repo.toPayment((await repo.byId(tx, row.id))!));
  }

  /** Finish a payment that needed the shopper (3-D Secure and the like). */
  async confirm(tenantId: string, id: string, token?: string): Promise<Payment> {
    return this.withPayment(tenantId, id, "confirm", (row) => {
      if (row.status !== "requires_action" || !row.providerRef) throw new AppError("conflict", `A ${row.status} payment cannot be confirmed.`);
      return null;
    }, async (gateway, creds, row) => gateway.confirm(creds, row.providerRef!, `${row.id}:confirm`, token));
  }

  async refund(tenantId: string, id: string, body: RefundBody): Promise<Payment> {
    let amount = 0;
    return this.withPayment(tenantId, id, "refund", (row) => {
      if (row.status !== "succeeded" && row.status !== "partially_refunded") throw new AppError("conflict", `A ${row.status} payment cannot be refunded.`);
      const left = row.amount - row.refundedAmount;
      amount = body.amount ?? left;
      if (amount > left) throw new AppError("conflict", `At most ${left} is left to refund.`);
      return null;
    }, async (gateway, creds, row) => {
      const key = `${row.id}:refund:${body.idempotencyKey ?? `${row.refundedAmount}+${amount}`}`;
      await gateway.refund(creds, row.providerRef!, amount, row.currency, key);
      return { status: "succeeded", providerRef: row.providerRef, refund: amount };
    });
  }

  async void(tenantId: string, id: string): Promise<Payment> {
    return this.withPayment(tenantId, id, "void", (row) => {
      if (row.status === "voided" || row.status === "failed") return repo.toPayment(row);
      if (row.status !== "pending" && row.status !== "requires_action") throw new AppError("conflict", `A ${row.status} payment cannot be voided; refund it.`);
      return null;
    }, async (gateway, creds, row) => {
      if (row.providerRef) await gateway.void(creds, row.providerRef, `${row.id}:void`);
      return { status: "voided", providerRef: row.providerRef };
    });
  }

  async get(tenantId: string, id: string) {
    return this.deps.tenancy.withTenant(tenantId, async (tx) => {
      const row = await repo.byId(tx, id);
      if (!row) throw new AppError("not_found", "No such payment in this store.");
      return { ...repo.toPayment(row), attempts: await repo.attemptsOf(tx, id) };
    });
  }

  async list(tenantId: string, limit: number, cursor: string | undefined) {
    return this.deps.tenancy.withTenant(tenantId, (tx) => repo.list(tx, limit, cursor));
  }

  /**
   * A state change of a payment from the provider's own word (a verified webhook); a change that is
   * not a forward step (or no change) does nothing. Events go out through the outbox.
   */
  async apply(
    tx: Tx,
    tenantId: string,
    id: string,
    result: ProviderResult & { refund?: number } | { status: "voided"; providerRef: string | null },
    source: "api" | "provider" = "api",
  ): Promise<repo.PaymentRow> {
    const row = (await repo.byId(tx, id, true))!;
    const event = { paymentId: row.id, orderId: row.orderId, provider: row.provider as PaymentProvider, amount: row.amount, currency: row.currency };
    if (result.status === "voided") return repo.update(tx, id, { status: "voided", nextAction: null });
    if ("refund" in result && result.refund !== undefined) {
      const refundedAmount = row.refundedAmount + result.refund;
      const updated = await repo.update(tx, id, { refundedAmount, status: refundedAmount >= row.amount ? "refunded" : "partially_refunded" });
      await enqueue(tx, PaymentEvents.refunded, { tenantId, aggregateId: id, data: { ...event, refundedAmount, source } });
      return updated;
    }
    if (row.status === result.status || !["pending", "requires_action"].includes(row.status)) return row;
    const updated = await repo.update(tx, id, {
      status: result.status,
      providerRef: result.providerRef ?? row.providerRef,
      nextAction: result.nextAction ?? null,
      failureCode: result.failureCode ?? null,
      failureReason: result.failureReason ?? null,
    });
    if (result.status === "succeeded") await enqueue(tx, PaymentEvents.succeeded, { tenantId, aggregateId: id, data: event });
    if (result.status === "failed") await enqueue(tx, PaymentEvents.failed, { tenantId, aggregateId: id, data: { ...event, reason: result.failureCode ?? "failed" } });
    return updated;
  }

  gateway(provider: PaymentProvider): PaymentGateway {
    const g = this.deps.registry.get(provider);
    if (!g) throw new AppError("bad_request", `No gateway named ${provider}.`);
    return g;
  }

  async call<T>(gateway: PaymentGateway, fn: () => Promise<T>): Promise<Outcome<T>> {
    const attempts: AttemptRecord[] = [];
    try {
      const value = await callProvider(fn, { breaker: this.breaker(gateway.provider), retry: this.deps.retry, record: (a) => attempts.push(a) });
      return { ok: true, value, attempts };
    } catch (err) {
      if (!(err instanceof GatewayError)) throw err;
      return { ok: false, error: err, attempts };
    }
  }

  /**
   * Refund, void, confirm: the payment row stays locked across the provider call, so two refunds of
   * one payment never race; attempts are written whatever the outcome.
   */
  private async withPayment(
    tenantId: string,
    id: string,
    operation: string,
    check: (row: repo.PaymentRow) => Payment | null,
    fn: (gateway: PaymentGateway, creds: Credentials, row: repo.PaymentRow) => Promise<ProviderResult & { refund?: number } | { status: "voided"; providerRef: string | null }>,
  ): Promise<Payment> {
    const out = await this.deps.tenancy.withTenant(tenantId, async (tx) => {
      const row = await repo.byId(tx, id, true);
      if (!row) throw new AppError("not_found", "No such payment in this store.");
      const early = check(row);
      if (early) return { payment: early };
      const gateway = this.gateway(row.provider as PaymentProvider);
      const creds = await this.deps.settings.credentials(tx, tenantId, row.provider as PaymentProvider, { requireEnabled: false });
      const outcome = await this.call(gateway, () => fn(gateway, creds, row));
      await repo.recordAttempts(tx, id, operation, outcome.attempts);
      if (!outcome.ok) return { error: outcome.error };
      return { payment: repo.toPayment(await this.apply(tx, tenantId, id, outcome.value)) };
    });
    if ("error" in out && out.error) {
      throw new AppError(out.error.kind === "transient" ? "bad_gateway" : "conflict", `The provider refused the ${operation}: ${out.error.message}`);
    }
    return (out as { payment: Payment }).payment;
  }
}
