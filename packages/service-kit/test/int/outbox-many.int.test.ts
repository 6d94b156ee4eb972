import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { defineEvent, type EventEnvelope } from "@bazaar/contracts";
import type { Database } from "../../src/db/index.ts";
import { InProcessBus, OutboxRelay, enqueue, enqueueMany, outboxInsert } from "../../src/events/index.ts";
import { createId } from "../../src/ids/index.ts";
import { Tenancy, loadMigrations } from "../../src/tenancy/index.ts";
import { eventually, freshDatabase } from "../../src/testing/index.ts";

const migrations = loadMigrations(path.join(path.dirname(fileURLToPath(import.meta.url)), "../fixtures/migrations"));
const ThingMade = defineEvent({ type: "catalog.thing.made", version: 1, topic: "catalog", schema: z.object({ n: z.number().int() }) });

describe("enqueueMany", () => {
  let database: Database;
  let tenancy: Tenancy;
  const bus = new InProcessBus();
  const tenantId = createId("tenant");

  beforeAll(async () => {
    database = await freshDatabase("outboxmany");
    tenancy = new Tenancy({ service: "outboxmany", database, migrations });
    await tenancy.init();
    await tenancy.provision({ tenantId, slug: "many" });
  });
  afterAll(async () => {
    await bus.close();
    await tenancy?.close();
    await database?.close();
  });

  const rows = () => database.sql<{ id: string; key: string; type: string; topic: string; tenant_id: string; envelope: EventEnvelope }[]>`
    select id, key, type, topic, tenant_id, envelope from public.bazaar_outbox order by seq`;

  it("writes every event in one statement, in order, only when the transaction commits; the relay publishes them in that order", async () => {
    await tenancy
      .withTenant(tenantId, async (tx) => {
        await enqueueMany(tx, ThingMade, [{ tenantId, aggregateId: "x", data: { n: 0 } }]);
        throw new Error("rollback");
      })
      .catch(() => undefined);
    expect(await rows()).toEqual([]);

    const events = Array.from({ length: 1500 }, (_, n) => ({ tenantId, aggregateId: `thing-${n}`, data: { n } }));
    const envelopes = await tenancy.withTenant(tenantId, (tx) => enqueueMany(tx, ThingMade, events));
    expect(await tenancy.withTenant(tenantId, (tx) => enqueueMany(tx, ThingMade, []))).toEqual([]);
    const stored = await rows();
    expect(stored).toHaveLength(1500);
    expect(stored.map((r) => r.envelope)).toEqual(envelopes);
    expect(stored[7]).toMatchObject({ id: envelopes[7]!.id, key: `${tenantId}:thing-7`, type: "catalog.thing.made", topic: "catalog", tenant_id: tenantId });
    expect(envelopes[7]).toMatchObject({ type: "catalog.thing.made", version: 1, tenantId, aggregateId: "thing-7", data: { n: 7 } });

    const seen: number[] = [];
    const sub = await bus.subscribe({ group: "many", topics: ["catalog"], fromBeginning: true, handler: async (env) => void seen.push((env.data as { n: number }).n) });
    const relay = new OutboxRelay({ databases: () => tenancy.databases(), bus, batchSize: 400 });
    await relay.start();
    try {
      await eventually(() => seen.length === 1500, "the relay to publish every event");
      expect(seen).toEqual(events.map((e) => e.data.n));
    } finally {
      await relay.stop();
      await sub.stop();
    }
  });

  it("refuses an event whose data does not fit its schema, before writing any", async () => {
    const before = (await rows()).length;
    await expect(
      tenancy.withTenant(tenantId, (tx) => enqueueMany(tx, ThingMade, [{ tenantId, aggregateId: "a", data: { n: 1 } }, { tenantId, aggregateId: "b", data: { n: 1.5 } }])),
    ).rejects.toThrow();
    expect((await rows()).length).toBe(before);
  });

  it("outboxInsert folds events into a bigger statement: written only when `from` yields a row, with fields patched from it", async () => {
    const before = (await rows()).length;
    const statement = (n: number) => {
      const out = outboxInsert(ThingMade, [{ tenantId, aggregateId: `patched-${n}`, data: { n: 0 } }], { from: sql`src`, patch: { n: sql`src.n` } });
      return { out, run: () => tenancy.statement(tenantId, () => sql`with src as (select ${n}::int as n where ${n} > 0), e as (${out.statement}) select count(*) from src`) };
    };
    await statement(0).run();
    expect((await rows()).length).toBe(before);
    const made = statement(42);
    await made.run();
    const stored = (await rows()).at(-1)!;
    expect(stored).toMatchObject({ id: made.out.envelopes[0]!.id, key: `${tenantId}:patched-42`, type: "catalog.thing.made" });
    expect(stored.envelope.data).toEqual({ n: 42 });
  });

  it("wakes an idle relay by notification; a draining relay is not notified and still publishes within its lease", async () => {
    const seen: number[] = [];
    const sub = await bus.subscribe({ group: `wake-${createId("request").slice(-6)}`, topics: ["catalog"], fromBeginning: false, handler: async (env) => void seen.push((env.data as { n: number }).n) });
    let notified = 0;
    const listener = await database.sql.listen("bazaar_outbox", () => void notified++);
    // Polling every minute: only a notification or the draining lease can get events out quickly.
    const relay = new OutboxRelay({ databases: () => tenancy.databases(), bus, pollMs: 60_000, drainLeaseMs: 3_000 });
    const write = (n: number) => tenancy.withTenant(tenantId, (tx) => enqueue(tx, ThingMade, { tenantId, aggregateId: `wake-${n}`, data: { n } }));
    const lease = async () => (await database.sql<{ held: boolean }[]>`select draining_until > clock_timestamp() as held from public.bazaar_outbox_relay`)[0]!.held;
    try {
      await relay.start();
      await eventually(async () => (await relay.pending()) === 0 && !(await lease()), "earlier events out and the lease lapsed", 8_000);
      notified = 0;
      await write(1);
      await eventually(() => seen.includes(1), "an idle relay to be woken", 2_000);
      expect(notified).toBe(1);
      // The lease is taken in the transaction that marks the batch sent, just after the bus took it.
      await eventually(() => lease(), "the relay to hold the draining lease", 2_000);
      await write(2);
      await eventually(() => seen.includes(2), "a draining relay to publish without being woken", 2_000);
      expect(notified).toBe(1);
      await eventually(async () => !(await lease()), "the lease to lapse once nothing more comes", 5_000);
      await new Promise((r) => setTimeout(r, 300));
      await write(3);
      await eventually(() => seen.includes(3), "the idle relay to be woken again", 2_000);
      expect(notified).toBe(2);
    } finally {
      await relay.stop();
      await listener.unlisten();
      await sub.stop();
    }
  });
});
