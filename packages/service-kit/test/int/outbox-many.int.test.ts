import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { defineEvent, type EventEnvelope } from "@bazaar/contracts";
import type { Database } from "../../src/db/index.ts";
import { InProcessBus, OutboxRelay, enqueueMany } from "../../src/events/index.ts";
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
});
