import type { EventEnvelope } from "@bazaar/contracts";
import { DEFAULT_RETRY, deadLetterTopic, deliverWithRetry, type BusMessage, type EventBus, type MessageHandler, type RetryPolicy, type SubscribeOptions, type Subscription } from "./bus.ts";

interface Member {
  handler: MessageHandler;
  retry: RetryPolicy;
  active: boolean;
}

interface Group {
  name: string;
  topics: Set<string>;
  members: Member[];
  queue: BusMessage[];
  running: boolean;
  next: number;
}

/**
 * In-process event bus with Kafka's delivery shape: every consumer group receives each message,
 * in publish order, one member at a time; failures retry with backoff, then go to `<topic>.dlq`.
 */
export class InProcessBus implements EventBus {
  readonly kind = "in-process" as const;
  private readonly groups = new Map<string, Group>();
  /**
   * Recent messages per topic, so a group that first subscribes after they were published (a
   * service starting after another's relay) still gets them, as a new Kafka group reading from
   * the beginning would.
   */
  private readonly retained = new Map<string, { seq: number; msg: BusMessage }[]>();
  private seq = 0;

  constructor(private readonly opts: { retainPerTopic?: number } = {}) {}
  private idleWaiters: (() => void)[] = [];
  private closed = false;
  /** Dead-lettered messages, also published to `<topic>.dlq` for any group that listens there. */
  readonly deadLetters: { topic: string; envelope: EventEnvelope; error: string }[] = [];

  async publish(messages: BusMessage[]): Promise<void> {
    if (this.closed) throw new Error("bus closed");
    const limit = this.opts.retainPerTopic ?? 10_000;
    for (const m of messages) {
      const log = this.retained.get(m.topic) ?? [];
      log.push({ seq: this.seq++, msg: m });
      if (log.length > limit) log.splice(0, log.length - limit);
      this.retained.set(m.topic, log);
      for (const g of this.groups.values()) {
        if (g.topics.has(m.topic) && g.members.some((x) => x.active)) {
          g.queue.push(m);
          this.pump(g);
        }
      }
    }
  }

  async subscribe(opts: SubscribeOptions): Promise<Subscription> {
    let g = this.groups.get(opts.group);
    if (!g) {
      const backlog = opts.fromBeginning === false ? [] : opts.topics.flatMap((t) => this.retained.get(t) ?? []).sort((a, b) => a.seq - b.seq);
      g = { name: opts.group, topics: new Set(), members: [], queue: backlog.map((r) => r.msg), running: false, next: 0 };
      this.groups.set(opts.group, g);
    }
    for (const t of opts.topics) g.topics.add(t);
    const member: Member = { handler: opts.handler, retry: { ...DEFAULT_RETRY, ...opts.retry }, active: true };
    g.members.push(member);
    const group = g;
    if (g.queue.length) this.pump(g);
    return {
      stop: async () => {
        member.active = false;
        group.members = group.members.filter((m) => m !== member);
      },
    };
  }

  private pump(g: Group): void {
    if (g.running) return;
    g.running = true;
    void (async () => {
      while (g.queue.length > 0) {
        const active = g.members.filter((m) => m.active);
        if (active.length === 0) break;
        const member = active[g.next++ % active.length]!;
        const msg = g.queue.shift()!;
        await deliverWithRetry(member.handler, msg, member.retry, async (err) => {
          this.deadLetters.push({ topic: msg.topic, envelope: msg.envelope, error: String(err) });
          const dlq = deadLetterTopic(msg.topic);
          if (!msg.topic.endsWith(".dlq")) await this.publish([{ ...msg, topic: dlq }]);
        });
      }
      g.running = false;
      this.notifyIdle();
    })();
  }

  private notifyIdle(): void {
    if ([...this.groups.values()].some((g) => g.running || (g.queue.length > 0 && g.members.length > 0))) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  }

  /** Resolves when every group has handled everything published so far (tests and shutdown). */
  drain(): Promise<void> {
    if (![...this.groups.values()].some((g) => g.running || (g.queue.length > 0 && g.members.length > 0))) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  async close(): Promise<void> {
    await this.drain();
    this.closed = true;
    this.groups.clear();
  }
}
