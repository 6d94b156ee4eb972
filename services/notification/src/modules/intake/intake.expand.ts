import { and, asc, eq, inArray, isNull, lt, lte, or, sql } from "drizzle-orm";
import type { NotificationTemplateKey } from "@bazaar/contracts";
import type { Tx } from "@bazaar/service-kit/db";
import type { Logger } from "@bazaar/service-kit/logging";
import type { Placement, Tenancy } from "@bazaar/service-kit/tenancy";
import { inboundEvents, pushSubscriptions } from "../../db/schema/index.ts";
import * as repo from "../deliveries/deliveries.repo.ts";
import { backoffMs, type RetryPolicy } from "../deliveries/deliveries.retry.ts";
import type { ResolvedSettings, SettingsService } from "../settings/settings.service.ts";
import { renderAll } from "../templates/templates.render.ts";
import { TemplatesService } from "../templates/templates.service.ts";
import { messageContext } from "./intake.context.ts";
import type { OrderReader } from "./intake.orders.ts";

const IN_CHECKOUT = new Set(["created", "stock_reserved", "payment_pending"]);

export interface ExpanderOptions {
  tenancy: Tenancy;
  settings: SettingsService;
  readOrder: OrderReader | undefined;
  /** The store's display name when its sender name is not set. */
  storeName: (tenant: { tenantId: string; slug: string }) => Promise<string>;
  logger: Logger;
  clock: () => Date;
  retry: RetryPolicy;
  leaseMs: number;
  batchSize: number;
  /** Sender address of stores that set none. */
  defaultFrom: string;
}

/**
 * Turns recorded events into messages: reads the order when the event is an order's, renders the
 * store's template and queues one delivery per channel and recipient (each at most once). An event
 * that cannot be prepared yet (the order service is down) is tried again with backoff, then `dead`.
 */
export class EventExpander {
  constructor(private readonly o: ExpanderOptions) {}

  /** Prepare the store's due events; answers how many it took. */
  async run(t: Placement): Promise<number> {
    const { tenancy, clock } = this.o;
    const now = clock();
    const claimed = await tenancy.withTenant(t.tenantId, (tx) => {
      const ids = tx
        .select({ id: inboundEvents.id })
        .from(inboundEvents)
        .where(and(eq(inboundEvents.status, "pending"), lte(inboundEvents.nextAttemptAt, now), or(isNull(inboundEvents.leaseUntil), lt(inboundEvents.leaseUntil, now))))
        .orderBy(asc(inboundEvents.occurredAt))
        .limit(this.o.batchSize)
        .for("update", { skipLocked: true });
      return tx.update(inboundEvents).set({ leaseUntil: new Date(now.getTime() + this.o.leaseMs) }).where(inArray(inboundEvents.id, ids)).returning();
    });
    for (const ev of claimed) {
      try {
        await this.prepare(t, ev);
      } catch (err) {
        const attempts = ev.attempts + 1;
        const dead = attempts >= this.o.retry.maxAttempts;
        this.o.logger.warn({ err, tenantId: t.tenantId, eventId: ev.id, attempts, dead }, "notification: could not prepare messages for an event");
        await tenancy.withTenant(t.tenantId, (tx) =>
          tx
            .update(inboundEvents)
            .set({ attempts, status: dead ? "dead" : "pending", leaseUntil: null, lastError: String((err as Error).message).slice(0, 500), nextAttemptAt: new Date(clock().getTime() + backoffMs(this.o.retry, attempts)) })
            .where(eq(inboundEvents.id, ev.id)),
        );
      }
    }
    return claimed.length;
  }

  private async prepare(t: Placement, ev: typeof inboundEvents.$inferSelect): Promise<void> {
    const { tenancy, settings } = this.o;
    const template = ev.template as NotificationTemplateKey;
    const s = await tenancy.withTenant(t.tenantId, (tx) => settings.resolved(tx, t.tenantId));
    const orderId = (ev.data as { orderId?: unknown }).orderId;
    const order = template.startsWith("order_") && this.o.readOrder && typeof orderId === "string" ? await this.o.readOrder({ tenantId: t.tenantId, slug: t.slug }, orderId) : undefined;
    const storeName = await this.storeName(t, s);
    const ctx = messageContext(template, ev.data, { storeName, staffEmail: s.staffEmail, ...(order ? { order } : {}) });
    // "Order received" is for an order still in checkout. Once it is paid (its confirmation follows)
    // or failed while the shopper waited (their checkout said so), it would only be noise.
    const stale = template === "order_created" && order !== undefined && !IN_CHECKOUT.has(order.status);
    await tenancy.withTenant(t.tenantId, async (tx) => {
      const rendered = stale ? { email: null, sms: null, push: null } : renderAll(await TemplatesService.parts(tx, template), ctx.vars);
      const base = { source: "event" as const, sourceId: ev.id, template };
      const rows: repo.NewDelivery[] = [];
      if (s.channels.email && rendered.email && ctx.audience.email) {
        rows.push({ ...base, channel: "email", recipient: ctx.audience.email.toLowerCase(), sender: this.sender(storeName, s), subject: rendered.email.subject, html: rendered.email.html, text: rendered.email.text, headers: s.sender.replyTo ? { "reply-to": s.sender.replyTo } : null });
      }
      if (s.channels.sms && rendered.sms && ctx.audience.phone) {
        rows.push({ ...base, channel: "sms", recipient: ctx.audience.phone, sender: s.sender.smsFrom, text: rendered.sms.text });
      }
      if (s.channels.push && rendered.push && ctx.audience.pushEmail) {
        for (const sub of await subscriptionsOf(tx, ctx.audience.pushEmail)) {
          rows.push({ ...base, channel: "push", recipient: sub.id, subject: rendered.push.title, text: rendered.push.body, data: { title: rendered.push.title, body: rendered.push.body, tag: `${template}:${ev.aggregateId}` } });
        }
      }
      await repo.insertOnce(tx, rows, this.o.clock());
      await tx.update(inboundEvents).set({ status: "expanded", leaseUntil: null, attempts: sql`${inboundEvents.attempts} + 1`, lastError: null }).where(eq(inboundEvents.id, ev.id));
    });
  }

  private async storeName(t: Placement, s: ResolvedSettings): Promise<string> {
    return s.sender.name ?? (await this.o.storeName({ tenantId: t.tenantId, slug: t.slug }));
  }

  private sender(name: string, s: ResolvedSettings): string {
    return `"${name.replace(/["\\\r\n]/g, "")}" <${s.sender.email ?? this.o.defaultFrom}>`;
  }
}

function subscriptionsOf(tx: Tx, email: string) {
  return tx.select({ id: pushSubscriptions.id }).from(pushSubscriptions).where(eq(pushSubscriptions.email, email.toLowerCase())).orderBy(asc(pushSubscriptions.id)).limit(20);
}
