import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { defineEvent, type EventEnvelope } from "@bazaar/contracts";
import type { Database } from "../../src/db/index.ts";
import { InProcessBus, OutboxRelay, enqueue, startConsumer, defineHandler, type EventBus, type Subscription } from "../../src/events/index.ts";
import { KafkaBus } from "../../src/events/kafka.ts";
import { createId } from "../../src/ids/index.ts";
import { Tenancy, loadMigrations } from "../../src/tenancy/index.ts";
import { eventually, freshDatabase } from "../../src/testing/index.ts";

const migrations = loadMigrations(path.join(path.dirname(fileURLToPath(import.meta.url)), "../fixtures/migrations"));
const kafkaBrokers = inject("kafkaBrokers");

const WidgetCreated = defineEvent({
  type: "catalog.widget.created",
  version: 1,
  topic: "catalog",
  schema: z.object({ name: z.string() }),
});

type BusFactory = { name: string; make: (run: string) => EventBus; skip?: string };
const buses: BusFactory[] = [
  { name: "in-process bus", make: () => new InProcessBus() },
  {
    name: "Kafka adapter",
    skip: kafkaBrokers ? undefined : "TEST_KAFKA_BROKERS is not set (CI starts a Kafka-protocol broker and sets it)",
    make: (run) =>
      new KafkaBus({
        brokers: kafkaBrokers.split(","),
        clientId: `test-${run}`,
        consumer: { sessionTimeout: 10_000, rebalanceTimeout: 12_000, heartbeatInterval: 500 },
      }),
  },
];

for (const b of buses) {
  if (b.skip) console.log(`[events] skipping "${b.name}": ${b.skip}`);
  describe.skipIf(Boolean(b.skip))(`outbox -> ${b.name} -> inbox`, () => {
    let database: Database;
    let tenancy: Tenancy;
    let bus: EventBus;
    const tenantId = createId("tenant");
    const run = createId("request").slice(-8);
    const subs: Subscription[] = [];
    const seen: Record<string, EventEnvelope[]> = { a: [], b: [] };

    beforeAll(async () => {
      database = await freshDatabase("events");
      tenancy = new Tenancy({ service: "events", database, migrations });
      await tenancy.init();
      await tenancy.provision({ tenantId, slug: "evt" });
      bus = b.make(run);
      // Two consumer groups; each handler records its effect in the tenant's schema, via the inbox.
      for (const group of ["a", "b"] as const) {
        subs.push(
          await startConsumer({
            bus,
            group: `g-${group}-${run}`,
            tenancy,
            handlers: [
              defineHandler(WidgetCreated, async (tx, env) => {
                seen[group]!.push(env);
                await tx.execute(sql`insert into effects (event_id, consumer) values (${env.id}, ${group})`);
              }),
            ],
          }),
        );
      }
    });
    afterAll(async () => {
      for (const s of subs) await s.stop();
      await bus?.close();
      await tenancy?.close();
      await database?.close();
    });

    const effects = (eventId: string) =>
      tenancy.withTenant(tenantId, async (tx) => (await tx.execute(sql`select consumer from effects where event_id = ${eventId} order by consumer`)).map((r) => r.consumer));

    it("never publishes an event whose transaction rolled back, and delivers a committed one once per group even when the relay dies before marking it sent", async () => {
      const rolledBack = await tenancy
        .withTenant(tenantId, async (tx) => {
          const env = await enqueue(tx, WidgetCreated, { tenantId, aggregateId: "w1", data: { name: "ghost" } });
          throw Object.assign(new Error("rollback"), { env });
        })
        .catch((err: { env: EventEnvelope }) => err.env);

      const committed = await tenancy.withTenant(tenantId, async (tx) => {
        await tx.execute(sql`insert into widgets (id, name) values ('w2', 'real')`);
        return enqueue(tx, WidgetCreated, { tenantId, aggregateId: "w2", data: { name: "real" } });
      });

      // First relay publishes, then "dies" before marking the batch sent.
      const crashing = new OutboxRelay({
        databases: () => tenancy.databases(),
        bus,
        afterPublish: () => {
          throw new Error("relay killed after publish");
        },
      });
      await expect(crashing.runOnce()).rejects.toThrow("relay killed");
      expect(await crashing.pending()).toBe(1);

      // A fresh relay finds the event still pending and publishes it again.
      const relay = new OutboxRelay({ databases: () => tenancy.databases(), bus });
      expect(await relay.runOnce()).toBe(1);
      expect(await relay.pending()).toBe(0);

      await eventually(async () => (await effects(committed.id)).length === 2, "both groups to handle the event", 60_000);
      // Give a duplicate every chance to land before asserting there was none.
      if (bus instanceof InProcessBus) await bus.drain();
      else await new Promise((r) => setTimeout(r, 1_500));
      expect(await effects(committed.id)).toEqual(["a", "b"]);
      expect(seen.a!.filter((e) => e.id === committed.id).length).toBeGreaterThanOrEqual(1);
      expect([...seen.a!, ...seen.b!].some((e) => e.id === rolledBack.id)).toBe(false);
      expect(committed.data).toEqual({ name: "real" });
    });
  });
}
