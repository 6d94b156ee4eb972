import { Kafka, Partitioners, logLevel, type Consumer, type Producer } from "kafkajs";
import { EventEnvelope as EnvelopeSchema } from "@bazaar/contracts";
import type { Logger } from "../logging/index.ts";
import { DEFAULT_RETRY, deadLetterTopic, deliverWithRetry, type BusMessage, type EventBus, type SubscribeOptions, type Subscription } from "./bus.ts";

export interface KafkaBusOptions {
  brokers: string[];
  clientId: string;
  logger?: Logger;
  /** Create topics (and their `.dlq`) up front; off where the broker auto-creates or forbids admin calls. */
  createTopics?: { topics: string[]; partitions?: number; replicationFactor?: number };
  /** Shorter group timings for tests; Kafka's defaults suit production. */
  consumer?: { sessionTimeout?: number; rebalanceTimeout?: number; heartbeatInterval?: number };
}

/** EventBus over Kafka (kafkajs). Topic per aggregate, key `tenantId:aggregateId`, DLQ `<topic>.dlq`. */
export class KafkaBus implements EventBus {
  readonly kind = "kafka" as const;
  private readonly kafka: Kafka;
  private producer: Producer | undefined;
  private readonly consumers = new Set<Consumer>();
  private connecting: Promise<Producer> | undefined;

  constructor(private readonly opts: KafkaBusOptions) {
    this.kafka = new Kafka({
      clientId: opts.clientId,
      brokers: opts.brokers,
      logLevel: logLevel.WARN,
      retry: { initialRetryTime: 200, retries: 8 },
      logCreator: () => (entry) => {
        const l = this.opts.logger;
        if (!l) return;
        const { message, ...rest } = entry.log;
        if (entry.level <= logLevel.ERROR) l.error({ kafka: rest }, message);
        else l.warn({ kafka: rest }, message);
      },
    });
  }

  private async ready(): Promise<Producer> {
    this.connecting ??= (async () => {
      if (this.opts.createTopics) {
        const admin = this.kafka.admin();
        await admin.connect();
        try {
          const { topics, partitions = 6, replicationFactor = -1 } = this.opts.createTopics;
          await admin.createTopics({
            waitForLeaders: true,
            topics: topics.flatMap((t) => [t, deadLetterTopic(t)]).map((topic) => ({ topic, numPartitions: partitions, replicationFactor })),
          });
        } finally {
          await admin.disconnect();
        }
      }
      const producer = this.kafka.producer({ allowAutoTopicCreation: true, createPartitioner: Partitioners.DefaultPartitioner });
      await producer.connect();
      this.producer = producer;
      return producer;
    })();
    return this.connecting;
  }

  async publish(messages: BusMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const producer = await this.ready();
    const byTopic = new Map<string, BusMessage[]>();
    for (const m of messages) byTopic.set(m.topic, [...(byTopic.get(m.topic) ?? []), m]);
    await producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, ms]) => ({
        topic,
        messages: ms.map((m) => ({
          key: m.key,
          value: JSON.stringify(m.envelope),
          headers: { "event-type": m.envelope.type, ...(m.envelope.traceparent ? { traceparent: m.envelope.traceparent } : {}) },
        })),
      })),
    });
  }

  async subscribe(opts: SubscribeOptions): Promise<Subscription> {
    await this.ready();
    const consumer = this.kafka.consumer({
      groupId: opts.group,
      sessionTimeout: this.opts.consumer?.sessionTimeout ?? 30_000,
      rebalanceTimeout: this.opts.consumer?.rebalanceTimeout ?? 60_000,
      heartbeatInterval: this.opts.consumer?.heartbeatInterval ?? 3_000,
      allowAutoTopicCreation: true,
    });
    await consumer.connect();
    for (const topic of opts.topics) await consumer.subscribe({ topic, fromBeginning: opts.fromBeginning ?? true });
    const policy = { ...DEFAULT_RETRY, ...opts.retry };
    let stopped = false;
    await consumer.run({
      eachMessage: async ({ topic, message }) => {
        const raw = message.value?.toString("utf8") ?? "";
        const sendToDlq = async (err: unknown) => {
          this.opts.logger?.error({ err, topic, group: opts.group }, "event dead-lettered");
          if (topic.endsWith(".dlq")) return;
          await this.producer!.send({
            topic: deadLetterTopic(topic),
            messages: [{ key: message.key, value: raw, headers: { ...message.headers, "dlq-group": opts.group, "dlq-error": String(err).slice(0, 500) } }],
          });
        };
        let envelope;
        try {
          envelope = EnvelopeSchema.parse(JSON.parse(raw));
        } catch (err) {
          await sendToDlq(err);
          return;
        }
        await deliverWithRetry(opts.handler, { topic, envelope: envelope as never }, policy, sendToDlq, () => stopped);
      },
    });
    this.consumers.add(consumer);
    return {
      stop: async () => {
        stopped = true;
        this.consumers.delete(consumer);
        await consumer.disconnect();
      },
    };
  }

  async close(): Promise<void> {
    await Promise.all([...this.consumers].map((c) => c.disconnect()));
    this.consumers.clear();
    await this.producer?.disconnect();
  }
}
