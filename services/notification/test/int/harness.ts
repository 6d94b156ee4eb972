import { Hono } from "hono";
import { SMTPServer } from "smtp-server";
import { simpleParser, type ParsedMail } from "mailparser";
import type { AddressInfo } from "node:net";
import type { EventDefinition, IdentityContext, OrderDetail } from "@bazaar/contracts";
import type { Database } from "@bazaar/service-kit/db";
import { InProcessBus, type BusMessage } from "@bazaar/service-kit/events";
import { createId } from "@bazaar/service-kit/ids";
import { freshDatabase, readAnswer, silentLogger, TEST_SECRET, testCaller, type Answer, type TestStore } from "@bazaar/service-kit/testing";
import { schemaForTenant, signTenantHeaders } from "@bazaar/service-kit/tenancy";
import type { z } from "zod";
import { createService, type NotificationHandle, type PlatformTransports, type ProviderOverrides } from "../../src/app.ts";

export interface Harness {
  svc: NotificationHandle;
  bus: InProcessBus;
  db: Database;
  orders: Map<string, OrderDetail>;
  /** How many times the fake order service was asked for an order. */
  orderReads: { n: number };
  t: ReturnType<typeof testCaller>;
  /** Publish an event as its producer's outbox relay would; answers the envelope (publish it again to redeliver). */
  /** `data` is checked by the event's schema at run time (order events gain fields while other work lands). */
  publish<S extends z.ZodType>(store: TestStore, def: EventDefinition<string, S>, aggregateId: string, data: z.input<S> | Record<string, unknown>): Promise<BusMessage>;
  redeliver(msg: BusMessage): Promise<void>;
  /** A store route as a signed-in caller with an email (the gateway's signed context). */
  as<T = unknown>(store: TestStore, identity: Omit<IdentityContext, "realm">, method: string, path: string, body?: unknown): Promise<Answer<T>>;
  stop(): Promise<void>;
}

/**
 * The notification service alone on a fresh database with the in-process bus; the order service is a
 * fake answering the merchant order route from `orders`.
 */
export async function startNotification(opts: { transports?: PlatformTransports; providers?: ProviderOverrides } = {}): Promise<Harness> {
  const bus = new InProcessBus();
  const db = await freshDatabase("notification");
  const orders = new Map<string, OrderDetail>();
  const orderReads = { n: 0 };
  const fakeOrder = new Hono();
  fakeOrder.get("/internal/orders/:id", (c) => {
    orderReads.n++;
    const o = orders.get(c.req.param("id"));
    return o ? c.json({ customerId: null, ...o }) : c.json({ type: "about:blank", title: "Not found", status: 404, code: "not_found" }, 404);
  });
  const svc = createService({
    logger: silentLogger(),
    database: db,
    bus,
    secret: TEST_SECRET,
    relay: { pollMs: 50 },
    order: { app: fakeOrder },
    ...(opts.transports ? { transports: opts.transports } : {}),
    providers: { timeoutMs: 3_000, ...opts.providers },
    notification: { intervalMs: 50, retry: { maxAttempts: 3, baseMs: 30, maxMs: 200 }, leaseMs: 10_000 },
  });
  await svc.start();
  const t = testCaller(svc.app);
  return {
    svc,
    bus,
    db,
    orders,
    orderReads,
    t,
    async publish(store, def, aggregateId, data) {
      const msg: BusMessage = {
        topic: def.topic,
        key: `${store.tenantId}:${aggregateId}`,
        envelope: { id: createId("event"), type: def.type, version: def.version, tenantId: store.tenantId, aggregateId, occurredAt: new Date().toISOString(), data: def.schema.parse(data) },
      };
      await bus.publish([msg]);
      return msg;
    },
    async redeliver(msg) {
      await bus.publish([msg]);
    },
    async as(store, identity, method, path, body) {
      const headers = { ...signTenantHeaders(TEST_SECRET, store, { ...identity, realm: store.slug }), ...(body !== undefined ? { "content-type": "application/json" } : {}) };
      return readAnswer(await svc.app.request(path, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) }));
    },
    async stop() {
      await svc.stop();
      await bus.close();
      await db.close();
    },
  };
}

/** An order as the order service returns it: two lines, shipping, tax, in USD minor units. */
export function sampleOrder(overrides: Partial<OrderDetail> = {}): OrderDetail {
  const id = overrides.id ?? createId("order");
  return {
    id,
    number: "1001",
    status: "paid",
    currency: "USD",
    subtotal: 10950,
    shipping: 500,
    tax: 903,
    total: 12353,
    refundedAmount: 0,
    email: "ada@example.com",
    shippingAddress: { name: "Ada <Lovelace>", line1: "12 St James's Square", city: "London", postalCode: "SW1Y 4JH", country: "GB", phone: "+15551234567" },
    lines: [
      { sku: "SHIRT-M", productId: "prod_1", name: "Linen shirt <Blue>", unitPrice: 4500, quantity: 2, lineTotal: 9000 },
      { sku: "TOTE-1", productId: "prod_2", name: "Canvas tote", unitPrice: 1950, quantity: 1, lineTotal: 1950 },
    ],
    paymentId: null,
    carrier: null,
    trackingNumber: null,
    reason: null,
    createdAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
    history: [],
    ...overrides,
  };
}

export interface SmtpSink {
  port: number;
  messages: ParsedMail[];
  /** SMTP reply code to refuse recipients with (451: try later, 550: no such user); undefined accepts. */
  refuse: { code: number | undefined };
  stop(): Promise<void>;
}

/** A real SMTP server (`smtp-server`) on 127.0.0.1 keeping every message it accepts, parsed by `mailparser`. */
export async function startSmtp(): Promise<SmtpSink> {
  const messages: ParsedMail[] = [];
  const refuse: SmtpSink["refuse"] = { code: undefined };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onRcptTo(_address, _session, cb) {
      if (refuse.code === undefined) return cb();
      const err = Object.assign(new Error(refuse.code >= 500 ? "No such user here" : "Mailbox busy, try again later"), { responseCode: refuse.code });
      cb(err);
    },
    onData(stream, _session, cb) {
      simpleParser(stream)
        .then((mail) => {
          messages.push(mail);
          cb();
        })
        .catch((err: Error) => cb(err));
    },
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const port = (server.server.address() as AddressInfo).port;
  return { port, messages, refuse, stop: () => new Promise<void>((r) => server.close(() => r())) };
}

export const schemaOf = (store: TestStore) => schemaForTenant(store.tenantId);
