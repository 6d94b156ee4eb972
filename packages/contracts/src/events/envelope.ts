import { z } from "zod";
import { TenantId } from "../common/index.ts";

/** The versioned envelope every event travels in (ARCHITECTURE.md, Events). */
export const EventEnvelope = z.object({
  id: z.string().min(1),
  type: z.string().regex(/^[a-z]+\.[a-z_]+\.[a-z_]+$/),
  version: z.number().int().positive(),
  tenantId: TenantId,
  aggregateId: z.string().min(1),
  occurredAt: z.string().datetime(),
  traceparent: z.string().optional(),
  data: z.unknown(),
});
export type EventEnvelope<T = unknown> = Omit<z.infer<typeof EventEnvelope>, "data"> & { data: T };

/** A Kafka topic per aggregate family. */
export const Topics = ["catalog", "orders", "payments", "inventory", "behavior", "tenants"] as const;
export type Topic = (typeof Topics)[number];

export interface EventDefinition<TType extends string, TSchema extends z.ZodType> {
  type: TType;
  version: number;
  topic: Topic;
  schema: TSchema;
}

export function defineEvent<TType extends string, TSchema extends z.ZodType>(
  def: EventDefinition<TType, TSchema>,
): EventDefinition<TType, TSchema> {
  return def;
}

export type EventData<D> = D extends EventDefinition<string, infer S> ? z.infer<S> : never;
