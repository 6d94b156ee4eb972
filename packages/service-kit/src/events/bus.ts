import type { EventEnvelope } from "@bazaar/contracts";

export interface BusMessage {
  topic: string;
  /** Partition key: `tenantId:aggregateId`, so one aggregate's events stay in order. */
  key: string;
  envelope: EventEnvelope;
}

export type MessageHandler = (envelope: EventEnvelope, meta: { topic: string; attempt: number }) => Promise<void>;

export interface RetryPolicy {
  /** Attempts after the first before the message goes to `<topic>.dlq`. */
  retries: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 4, initialDelayMs: 100, maxDelayMs: 5_000 };

export interface SubscribeOptions {
  /** Consumer group: each group gets every message once; members of a group share the work. */
  group: string;
  topics: string[];
  handler: MessageHandler;
  retry?: Partial<RetryPolicy>;
  /** A new group starts at the oldest retained message (default) or only sees what comes next. */
  fromBeginning?: boolean;
}

export interface Subscription {
  stop(): Promise<void>;
}

/** The only event-transport surface services see; kafkajs types stay behind it (CONVENTIONS.md #11). */
export interface EventBus {
  readonly kind: "in-process" | "kafka";
  publish(messages: BusMessage[]): Promise<void>;
  subscribe(opts: SubscribeOptions): Promise<Subscription>;
  close(): Promise<void>;
}

export const deadLetterTopic = (topic: string) => `${topic}.dlq`;

export const partitionKey = (tenantId: string, aggregateId: string) => `${tenantId}:${aggregateId}`;

export function backoff(policy: RetryPolicy, attempt: number): number {
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.max(0, attempt - 1));
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Run a handler with retries and exponential backoff; when they are spent, hand the message to
 * `deadLetter`. Shared by both bus adapters so they fail the same way.
 */
export async function deliverWithRetry(
  handler: MessageHandler,
  msg: { topic: string; envelope: EventEnvelope },
  policy: RetryPolicy,
  deadLetter: (err: unknown) => Promise<void>,
  isStopped: () => boolean = () => false,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await handler(msg.envelope, { topic: msg.topic, attempt });
      return;
    } catch (err) {
      if (attempt > policy.retries || isStopped()) {
        await deadLetter(err);
        return;
      }
      await sleep(backoff(policy, attempt));
    }
  }
}
