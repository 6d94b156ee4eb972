import { describe, expect, it } from "vitest";
import type { EventEnvelope } from "@bazaar/contracts";
import { backoff, deadLetterTopic, partitionKey, type BusMessage } from "./bus.ts";
import { InProcessBus } from "./in-process.ts";

const TENANT = "ten_01jd5m3x4s9t2v8w0y1z2a3b4c";
const FAST = { initialDelayMs: 1, maxDelayMs: 2, retries: 3 };

function message(n: number, topic = "catalog"): BusMessage {
  const envelope: EventEnvelope = {
    id: `evt_${n}`,
    type: "catalog.product.created",
    version: 1,
    tenantId: TENANT,
    aggregateId: `prod_${n}`,
    occurredAt: new Date(0).toISOString(),
    data: { n },
  };
  return { topic, key: partitionKey(TENANT, envelope.aggregateId), envelope };
}
const messages = (count: number, topic = "catalog") => Array.from({ length: count }, (_, i) => message(i, topic));
const ids = (envs: EventEnvelope[]) => envs.map((e) => e.id);

describe("InProcessBus delivery", () => {
  it("gives every consumer group each message once, in publish order", async () => {
    const bus = new InProcessBus();
    const seen: Record<string, EventEnvelope[]> = { search: [], recs: [] };
    for (const group of ["search", "recs"]) {
      await bus.subscribe({ group, topics: ["catalog"], handler: async (e) => void seen[group]!.push(e) });
    }
    await bus.publish(messages(5));
    await bus.publish(messages(3).map((m, i) => ({ ...m, envelope: { ...m.envelope, id: `evt_late_${i}` } })));
    await bus.drain();
    const expected = ["evt_0", "evt_1", "evt_2", "evt_3", "evt_4", "evt_late_0", "evt_late_1", "evt_late_2"];
    expect(ids(seen.search!)).toEqual(expected);
    expect(ids(seen.recs!)).toEqual(expected);
  });

  it("gives a group that subscribes late what was published before it joined, as a new Kafka group would", async () => {
    const bus = new InProcessBus({ retainPerTopic: 3 });
    await bus.publish([...messages(5), message(9, "orders")]);
    const seen: EventEnvelope[] = [];
    await bus.subscribe({ group: "late", topics: ["catalog"], handler: async (e) => void seen.push(e) });
    await bus.drain();
    // Only the last `retainPerTopic` messages of its topics are kept for it.
    expect(ids(seen)).toEqual(["evt_2", "evt_3", "evt_4"]);
  });

  it("only delivers the topics a group subscribed to", async () => {
    const bus = new InProcessBus();
    const seen: string[] = [];
    await bus.subscribe({ group: "g", topics: ["orders"], handler: async (e, meta) => void seen.push(`${meta.topic}:${e.id}`) });
    await bus.publish([message(1, "catalog"), message(2, "orders")]);
    await bus.drain();
    expect(seen).toEqual(["orders:evt_2"]);
  });

  it("splits a group's work between its members, handling each message once", async () => {
    const bus = new InProcessBus();
    const a: string[] = [];
    const b: string[] = [];
    await bus.subscribe({ group: "workers", topics: ["catalog"], handler: async (e) => void a.push(e.id) });
    await bus.subscribe({ group: "workers", topics: ["catalog"], handler: async (e) => void b.push(e.id) });
    await bus.publish(messages(10));
    await bus.drain();
    expect([...a, ...b].sort()).toEqual(ids(messages(10).map((m) => m.envelope)).sort());
    expect(a.length).toBeGreaterThan(0);
    expect(b.length).toBeGreaterThan(0);
  });

  it("retries a failing handler and passes the attempt number", async () => {
    const bus = new InProcessBus();
    const attempts: number[] = [];
    await bus.subscribe({
      group: "g",
      topics: ["catalog"],
      retry: FAST,
      handler: async (_e, meta) => {
        attempts.push(meta.attempt);
        if (meta.attempt < 3) throw new Error("transient");
      },
    });
    await bus.publish([message(1)]);
    await bus.drain();
    expect(attempts).toEqual([1, 2, 3]);
    expect(bus.deadLetters).toEqual([]);
  });

  it("dead-letters a message whose handler always fails and publishes it to <topic>.dlq", async () => {
    const bus = new InProcessBus();
    let attempts = 0;
    const dlq: { id: string; topic: string }[] = [];
    const after: string[] = [];
    await bus.subscribe({
      group: "g",
      topics: ["catalog"],
      retry: FAST,
      handler: async (e) => {
        if (e.id === "evt_0") {
          attempts++;
          throw new Error("poison");
        }
        after.push(e.id);
      },
    });
    await bus.subscribe({ group: "ops", topics: [deadLetterTopic("catalog")], handler: async (e, meta) => void dlq.push({ id: e.id, topic: meta.topic }) });
    await bus.publish(messages(2));
    await bus.drain();
    expect(attempts).toBe(1 + FAST.retries);
    expect(bus.deadLetters).toEqual([{ topic: "catalog", envelope: message(0).envelope, error: "Error: poison" }]);
    expect(dlq).toEqual([{ id: "evt_0", topic: "catalog.dlq" }]);
    expect(after).toEqual(["evt_1"]);
  });

  it("does not loop when a dead-letter handler fails too", async () => {
    const bus = new InProcessBus();
    const fail = async () => {
      throw new Error("nope");
    };
    await bus.subscribe({ group: "g", topics: ["catalog"], retry: FAST, handler: fail });
    await bus.subscribe({ group: "ops", topics: ["catalog.dlq"], retry: FAST, handler: fail });
    await bus.publish([message(1)]);
    await bus.drain();
    expect(bus.deadLetters.map((d) => d.topic)).toEqual(["catalog", "catalog.dlq"]);
  });

  it("drain() resolves only after slow handlers finish, and at once when idle", async () => {
    const bus = new InProcessBus();
    await bus.drain();
    const done: string[] = [];
    await bus.subscribe({
      group: "g",
      topics: ["catalog"],
      handler: async (e) => {
        await new Promise((r) => setTimeout(r, 5));
        done.push(e.id);
      },
    });
    await bus.publish(messages(3));
    expect(done).toEqual([]);
    await bus.drain();
    expect(done).toEqual(["evt_0", "evt_1", "evt_2"]);
  });

  it("stops delivering to a stopped subscription", async () => {
    const bus = new InProcessBus();
    const stopped: string[] = [];
    const remaining: string[] = [];
    const sub = await bus.subscribe({ group: "g", topics: ["catalog"], handler: async (e) => void stopped.push(e.id) });
    await bus.subscribe({ group: "other", topics: ["catalog"], handler: async (e) => void remaining.push(e.id) });
    await bus.publish([message(0)]);
    await bus.drain();
    await sub.stop();
    await bus.publish([message(1), message(2)]);
    await bus.drain();
    expect(stopped).toEqual(["evt_0"]);
    expect(remaining).toEqual(["evt_0", "evt_1", "evt_2"]);
  });

  it("hands a stopped member's share to the rest of its group", async () => {
    const bus = new InProcessBus();
    const a: string[] = [];
    const b: string[] = [];
    const subA = await bus.subscribe({ group: "w", topics: ["catalog"], handler: async (e) => void a.push(e.id) });
    await bus.subscribe({ group: "w", topics: ["catalog"], handler: async (e) => void b.push(e.id) });
    await subA.stop();
    await bus.publish(messages(4));
    await bus.drain();
    expect(a).toEqual([]);
    expect(b).toEqual(["evt_0", "evt_1", "evt_2", "evt_3"]);
  });

  it("refuses to publish after close", async () => {
    const bus = new InProcessBus();
    await bus.close();
    await expect(bus.publish([message(1)])).rejects.toThrow("bus closed");
  });
});

describe("backoff", () => {
  it("doubles from the initial delay and caps at the maximum", () => {
    const policy = { retries: 10, initialDelayMs: 100, maxDelayMs: 1_000 };
    expect([1, 2, 3, 4, 5, 6].map((a) => backoff(policy, a))).toEqual([100, 200, 400, 800, 1_000, 1_000]);
    expect(backoff(policy, 0)).toBe(100);
  });
});
