import { sql as dsql } from "drizzle-orm";
import type { z } from "zod";
import type { EventDefinition, EventEnvelope } from "@bazaar/contracts";
import type { Database, Tx } from "../db/index.ts";
import type { Logger } from "../logging/index.ts";
import type { Tenancy } from "../tenancy/tenancy.ts";
import type { EventBus, RetryPolicy, Subscription } from "./bus.ts";

/** One of `handle` (inbox + transaction: exactly-once effects) or `observe` (repeatable effects, no transaction). */
export interface EventHandler<S extends z.ZodType = z.ZodType> {
  event: EventDefinition<string, S>;
  handle?(tx: Tx, envelope: EventEnvelope<z.infer<S>>): Promise<void>;
  observe?(envelope: EventEnvelope<z.infer<S>>): Promise<void>;
}

/** Type helper so a consumer file gets its payload typed from the contract. */
export function defineHandler<S extends z.ZodType>(
  event: EventDefinition<string, S>,
  handle: (tx: Tx, envelope: EventEnvelope<z.infer<S>>) => Promise<void>,
): EventHandler<S> {
  return { event, handle } as EventHandler<S>;
}

/**
 * A handler whose effect is safe to repeat (a wake-up, a cache drop): it runs without an inbox row
 * and without a transaction, so an event costs what the handler itself does (often one read).
 */
export function defineObserver<S extends z.ZodType>(event: EventDefinition<string, S>, observe: (envelope: EventEnvelope<z.infer<S>>) => Promise<void>): EventHandler<S> {
  return { event, observe } as EventHandler<S>;
}

/**
 * Record the event in the inbox and run `fn` in the same transaction; a redelivered event finds
 * its id there and has no second effect. Returns false for a duplicate.
 */
export async function handleOnce(tx: Tx, consumer: string, eventId: string, fn: () => Promise<void>): Promise<boolean> {
  const rows = await tx.execute(dsql`
    insert into public.bazaar_inbox (consumer, event_id) values (${consumer}, ${eventId})
    on conflict do nothing returning 1 as inserted`);
  if (rows.length === 0) return false;
  await fn();
  return true;
}

/**
 * Subscribe a service's handlers as one consumer group. Tenant events run inside the tenant's
 * schema (`tenancy`); platform events (no tenant schema) run in `database`.
 */
export async function startConsumer(opts: {
  bus: EventBus;
  group: string;
  handlers: EventHandler[];
  tenancy?: Tenancy;
  database?: Database;
  logger?: Logger;
  retry?: Partial<RetryPolicy>;
}): Promise<Subscription> {
  const byType = new Map(opts.handlers.map((h) => [h.event.type, h]));
  const topics = [...new Set(opts.handlers.map((h) => h.event.topic))];
  return opts.bus.subscribe({
    group: opts.group,
    topics,
    ...(opts.retry ? { retry: opts.retry } : {}),
    handler: async (envelope) => {
      const h = byType.get(envelope.type);
      if (!h) return;
      const data = h.event.schema.parse(envelope.data);
      if (h.observe) return h.observe({ ...envelope, data });
      const handle = h.handle!.bind(h);
      const run = (tx: Tx) => handleOnce(tx, opts.group, envelope.id, () => handle(tx, { ...envelope, data }));
      if (opts.tenancy) await opts.tenancy.withTenant(envelope.tenantId, run);
      else if (opts.database) await opts.database.db.transaction(run);
      else throw new Error("startConsumer needs tenancy or database");
    },
  });
}
