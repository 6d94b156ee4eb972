import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DeliveryDetail, DeliveryPage, IdentityEvents, InventoryEvents, MailboxPage, OrderEvents, PushPublicKey, type Delivery } from "@bazaar/contracts";
import { eventually, type TestStore } from "@bazaar/service-kit/testing";
import { startPushEndpoint } from "../../src/modules/channels/push-endpoint.ts";
import { sampleOrder, schemaOf, startNotification, startSmtp, type Harness, type SmtpSink } from "./harness.ts";

/** Issue 7 must-holds: real SMTP and Web Push, retries and dead letters, one message per event. */
describe("notification delivery", () => {
  let h: Harness;
  let smtp: SmtpSink;
  let failing: SmtpSink;
  let browser: Awaited<ReturnType<typeof startPushEndpoint>>;
  let shop: TestStore;
  let flaky: TestStore;
  let pushy: TestStore;
  let plain: TestStore;

  const smtpSettings = (port: number) => ({ channels: { email: true }, sender: { name: "Acme Apparel", email: "orders@acme.test", replyTo: "help@acme.test" }, email: { provider: "smtp", smtp: { host: "127.0.0.1", port, secure: false, user: null } } });
  const deliveries = async (store: TestStore, q = "") => DeliveryPage.parse((await h.t.call(store, "GET", `/api/v1/admin/notifications/deliveries${q}`)).body).items;

  beforeAll(async () => {
    [smtp, failing, browser] = await Promise.all([startSmtp(), startSmtp(), startPushEndpoint()]);
    failing.refuse.code = 451;
    h = await startNotification({ providers: { pushAgent: browser.agent } });
    shop = await h.t.provision("notify-shop");
    flaky = await h.t.provision("notify-flaky");
    pushy = await h.t.provision("notify-push");
    plain = await h.t.provision("notify-plain");
    expect((await h.t.call(shop, "PUT", "/api/v1/admin/notifications/settings", smtpSettings(smtp.port))).status).toBe(200);
    expect((await h.t.call(flaky, "PUT", "/api/v1/admin/notifications/settings", smtpSettings(failing.port))).status).toBe(200);
    expect((await h.t.call(pushy, "PUT", "/api/v1/admin/notifications/settings", { channels: { email: false, push: true }, push: { provider: "webpush" } })).status).toBe(200);
  });
  afterAll(async () => {
    await h?.stop();
    await Promise.all([smtp?.stop(), failing?.stop(), browser?.close()]);
  });

  it("a real SMTP server receives the order confirmation with number, lines and totals, in HTML and text", async () => {
    const order = sampleOrder({ number: "1042" });
    h.orders.set(order.id, order);
    await h.publish(shop, OrderEvents.paid, order.id, { orderId: order.id, number: order.number, status: "paid", total: order.total, currency: "USD", email: order.email });
    const mail = await eventually(() => smtp.messages.find((m) => m.subject?.includes("1042")), "the confirmation over SMTP");
    expect(mail.subject).toBe("Order 1042 confirmed");
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : "").toBe("ada@example.com");
    expect(mail.from?.value[0]).toMatchObject({ name: "Acme Apparel", address: "orders@acme.test" });
    expect(mail.replyTo?.text).toBe("help@acme.test");
    const text = mail.text ?? "";
    expect(text).toContain("2 x Linen shirt <Blue> (SHIRT-M) @ $45.00 = $90.00");
    expect(text).toContain("1 x Canvas tote (TOTE-1) @ $19.50 = $19.50");
    for (const line of ["Subtotal: $109.50", "Shipping: $5.00", "Tax: $9.03", "Total: $123.53"]) expect(text).toContain(line);
    const html = mail.html || "";
    expect(html).toContain("<strong>1042</strong>");
    expect(html).toContain("Linen shirt &lt;Blue&gt;");
    expect(html).not.toContain("<Blue>");
    expect(html).toContain("Ada &lt;Lovelace&gt;");
    expect(html).toMatch(/<td align="right">\$90\.00<\/td>/);
    expect(html).toContain("<strong>Total: $123.53</strong>");
    const [d] = await eventually(async () => {
      const items = await deliveries(shop, "?status=sent");
      return items.length ? items : undefined;
    }, "the delivery log");
    expect(d).toMatchObject({ channel: "email", recipient: "ada@example.com", status: "sent", provider: "smtp", attempts: 1, template: "order_paid" });
  });

  it("the same event delivered twice sends one message", async () => {
    const order = sampleOrder({ number: "2001", status: "payment_pending" });
    h.orders.set(order.id, order);
    const msg = await h.publish(shop, OrderEvents.created, order.id, { orderId: order.id, number: "2001", status: "created", total: order.total, currency: "USD", email: order.email });
    await eventually(() => smtp.messages.some((m) => m.subject?.includes("2001")), "the first delivery");
    await h.redeliver(msg);
    await h.redeliver(msg);
    await h.svc.job.tick();
    await new Promise((r) => setTimeout(r, 300));
    await h.svc.job.tick();
    expect(smtp.messages.filter((m) => m.subject?.includes("2001"))).toHaveLength(1);
    const rows = await h.db.sql`select count(*)::int as n from ${h.db.sql(schemaOf(shop))}.deliveries where source_id = ${msg.envelope.id}`;
    expect(rows[0]?.n).toBe(1);
  });

  it("a provider failure is retried with backoff, then dead-lettered; the consumer keeps going; resend delivers", async () => {
    const dlq: unknown[] = [];
    const sub = await h.bus.subscribe({ group: "dlq-watch", topics: ["orders.dlq"], handler: async (e) => void dlq.push(e) });
    const order = sampleOrder({ number: "3001", email: "grace@example.com" });
    h.orders.set(order.id, order);
    await h.publish(flaky, OrderEvents.paid, order.id, { orderId: order.id, number: "3001", status: "paid", total: order.total, currency: "USD", email: order.email });
    // While the flaky store's message is being retried, the bus keeps delivering other events.
    const other = sampleOrder({ number: "3002" });
    h.orders.set(other.id, other);
    await h.publish(shop, OrderEvents.paid, other.id, { orderId: other.id, number: "3002", status: "paid", total: other.total, currency: "USD", email: other.email });
    await eventually(() => smtp.messages.some((m) => m.subject?.includes("3002")), "the other store's message");

    const dead = await eventually(async () => (await deliveries(flaky, "?status=dead"))[0], "the dead letter");
    expect(dead).toMatchObject({ attempts: 3, status: "dead", provider: "smtp", recipient: "grace@example.com" });
    expect(dead.lastError).toMatch(/451/);
    const detail = DeliveryDetail.parse((await h.t.call(flaky, "GET", `/api/v1/admin/notifications/deliveries/${dead.id}`)).body);
    expect(detail.attemptLog.map((a) => a.outcome)).toEqual(["failed", "failed", "failed"]);
    // Exponential backoff (30 ms, then 60 ms here): each try waits at least its delay after the last.
    const at = detail.attemptLog.map((a) => Date.parse(a.at));
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(30);
    expect(at[2]! - at[1]!).toBeGreaterThanOrEqual(60);
    expect(failing.messages).toHaveLength(0);
    expect(dlq).toHaveLength(0);
    await sub.stop();

    failing.refuse.code = undefined;
    // While a sender holds it (its lease runs), a resend is refused and changes nothing: no second sender.
    await h.db.sql`update ${h.db.sql(schemaOf(flaky))}.deliveries set lease_until = now() + interval '1 minute' where id = ${dead.id}`;
    const busy = await h.t.call<Delivery>(flaky, "POST", `/api/v1/admin/notifications/deliveries/${dead.id}/resend`);
    expect(busy.status).toBe(409);
    expect((await h.t.call<Delivery>(flaky, "GET", `/api/v1/admin/notifications/deliveries/${dead.id}`)).body).toMatchObject({ status: "dead" });
    await h.db.sql`update ${h.db.sql(schemaOf(flaky))}.deliveries set lease_until = null where id = ${dead.id}`;
    const resent = await h.t.call<Delivery>(flaky, "POST", `/api/v1/admin/notifications/deliveries/${dead.id}/resend`);
    expect(resent.status).toBe(200);
    expect(resent.body).toMatchObject({ status: "queued", attempts: 0 });
    await eventually(() => failing.messages.some((m) => m.subject?.includes("3001")), "the resent message");
    await eventually(async () => (await deliveries(flaky, "?status=sent")).some((d) => d.id === dead.id), "status sent");
    failing.refuse.code = 451;
  });

  it("no \"order received\" for an order already paid or failed by the time it is prepared", async () => {
    const order = sampleOrder({ number: "2101", status: "paid" });
    h.orders.set(order.id, order);
    const created = await h.publish(shop, OrderEvents.created, order.id, { orderId: order.id, number: "2101", status: "created", total: order.total, currency: "USD", email: order.email });
    await h.publish(shop, OrderEvents.paid, order.id, { orderId: order.id, number: "2101", status: "paid", total: order.total, currency: "USD", email: order.email });
    await eventually(() => smtp.messages.some((m) => m.subject === "Order 2101 confirmed"), "the confirmation");
    await eventually(async () => {
      const [row] = await h.db.sql`select status from ${h.db.sql(schemaOf(shop))}.inbound_events where id = ${created.envelope.id}`;
      return row?.status === "expanded";
    }, "the created event handled");
    expect(smtp.messages.filter((m) => m.subject?.includes("2101")).map((m) => m.subject)).toEqual(["Order 2101 confirmed"]);
  });

  it("an order the order service cannot answer yet is read again with backoff, then sent", async () => {
    const order = sampleOrder({ number: "3201" });
    const reads = h.orderReads.n;
    await h.publish(shop, OrderEvents.refunded, order.id, { orderId: order.id, number: "3201", status: "refunded", total: order.total, currency: "USD", email: order.email, refundedAmount: 1950 });
    await eventually(() => h.orderReads.n >= reads + 1, "a read of the missing order");
    h.orders.set(order.id, order);
    const mail = await eventually(() => smtp.messages.find((m) => m.subject === "Refund for order 3201"), "the refund email");
    expect(mail.text).toContain("We refunded $19.50 for order 3201 (total $123.53).");
  });

  it("a permanent refusal (550) bounces without retries", async () => {
    failing.refuse.code = 550;
    const order = sampleOrder({ number: "3101", email: "nobody@example.com" });
    h.orders.set(order.id, order);
    await h.publish(flaky, OrderEvents.delivered, order.id, { orderId: order.id, number: "3101", status: "delivered", total: order.total, currency: "USD", email: order.email });
    const bounced = await eventually(async () => (await deliveries(flaky, "?status=bounced"))[0], "the bounce");
    expect(bounced).toMatchObject({ attempts: 1, recipient: "nobody@example.com" });
    expect(bounced.lastError).toMatch(/550/);
    failing.refuse.code = 451;
  });

  it("Web Push reaches the shopper's browser with a correctly encrypted payload signed by the store's VAPID key", async () => {
    const shopper = { sub: "acc_shopper", roles: ["shopper" as const], email: "Lin@Example.com" };
    const created = await h.as<{ id: string; publicKey: string }>(pushy, shopper, "POST", "/api/v1/push/subscriptions", browser.subscription);
    expect(created.status).toBe(201);
    const { publicKey } = PushPublicKey.parse((await h.t.call(pushy, "GET", "/api/v1/push/public-key", undefined, null)).body);
    expect(created.body.publicKey).toBe(publicKey);
    const order = sampleOrder({ number: "4001", email: "lin@example.com" });
    h.orders.set(order.id, order);
    await h.publish(pushy, OrderEvents.shipped, order.id, { orderId: order.id, number: "4001", status: "shipped", total: order.total, currency: "USD", carrier: "UPS", trackingNumber: "1Z999", email: order.email });
    const req = await eventually(() => browser.requests[0], "the push request");
    expect(req.headers["content-encoding"]).toBe("aes128gcm");
    expect(browser.vapidValid(req, publicKey)).toBe(true);
    expect(JSON.parse(browser.decrypt(req))).toEqual({ title: "Order 4001 shipped", body: "UPS 1Z999", tag: `order_shipped:${order.id}` });
    await eventually(async () => (await deliveries(pushy, "?channel=push&status=sent")).length === 1, "push logged as sent");
    // The private key is sealed at rest.
    const [row] = await h.db.sql`select vapid_private_key as k from ${h.db.sql(schemaOf(pushy))}.notification_settings`;
    expect(String(row?.k)).toMatch(/^v1\./);
  });

  it("with no provider configured, every channel lands in the dev mailbox (identity and stock events too)", async () => {
    await h.t.call(plain, "PUT", "/api/v1/admin/notifications/settings", { staffEmail: "owner@plain.test", channels: { sms: true } });
    await h.publish(plain, IdentityEvents.passwordResetRequested, "acc_1", { accountId: "acc_1", email: "sam@example.com", resetUrl: "https://plain.localhost/reset?token=abc", expiresAt: "2030-01-01T00:00:00.000Z" });
    await h.publish(plain, InventoryEvents.stockLow, "SKU-1", { sku: "SKU-1", available: 2, threshold: 5 });
    const order = sampleOrder({ number: "5001", email: "sam@example.com", status: "created" });
    h.orders.set(order.id, order);
    await h.publish(plain, OrderEvents.created, order.id, { orderId: order.id, number: "5001", status: "created", total: order.total, currency: "USD", email: order.email });
    const box = await eventually(async () => {
      const items = MailboxPage.parse((await h.t.call(plain, "GET", "/api/v1/admin/mailbox?limit=50")).body).items;
      return items.length >= 4 ? items : undefined;
    }, "four mailbox messages");
    const reset = box.find((m) => m.subject?.startsWith("Reset your"))!;
    expect(reset.to).toBe("sam@example.com");
    expect(reset.text).toContain("https://plain.localhost/reset?token=abc");
    expect(box.find((m) => m.subject === "Low stock: SKU-1")?.to).toBe("owner@plain.test");
    expect(box.find((m) => m.channel === "sms")).toMatchObject({ to: "+15551234567", text: "notify-plain: order 5001 received ($123.53)." });
    expect(box.find((m) => m.subject === "Order 5001 received")?.html).toContain("$123.53");
    const filtered = MailboxPage.parse((await h.t.call(plain, "GET", "/api/v1/admin/mailbox?to=SAM@example.com&channel=email")).body).items;
    expect(filtered.map((m) => m.subject).sort()).toEqual(["Order 5001 received", "Reset your notify-plain password"]);
  });
});
