import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Campaign, ConsentPage, DeliveryPage, IdentityEvents, MailboxPage, NotificationSettings, NotificationTemplate, NotificationTemplateList, OrderEvents, Problem, RenderedTemplate } from "@bazaar/contracts";
import { eventually, type TestStore } from "@bazaar/service-kit/testing";
import { startFake } from "../../src/modules/channels/fake-server.ts";
import { sampleOrder, schemaOf, startNotification, type Harness } from "./harness.ts";

const expectProblem = (res: { status: number; body: unknown; headers: Headers }, status: number) => {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  return Problem.parse(res.body);
};

/** Templates, settings, the delivery log's isolation between stores, and promotions. */
describe("notification administration", () => {
  let h: Harness;
  let acme: TestStore;
  let volt: TestStore;
  let twilio: Awaited<ReturnType<typeof startFake>>;
  let sendgrid: Awaited<ReturnType<typeof startFake>>;

  beforeAll(async () => {
    twilio = await startFake(() => ({ status: 201, body: { sid: "SM42", status: "queued" } }));
    sendgrid = await startFake(() => ({ status: 202, headers: { "x-message-id": "sg-77" } }));
    h = await startNotification({ providers: { twilioBaseUrl: twilio.url, sendgridBaseUrl: sendgrid.url } });
    acme = await h.t.provision("admin-acme");
    volt = await h.t.provision("admin-volt");
  });
  afterAll(async () => {
    await h?.stop();
    await twilio?.close();
    await sendgrid?.close();
  });

  it("merchants edit a template, preview it with sample data (escaped), and events use it", async () => {
    const list = NotificationTemplateList.parse((await h.t.call(acme, "GET", "/api/v1/admin/notifications/templates")).body);
    expect(list.items.map((t) => t.key)).toContain("order_paid");
    expect(list.items.every((t) => !t.custom && t.emailSubject.length > 0)).toBe(true);
    const put = await h.t.call(acme, "PUT", "/api/v1/admin/notifications/templates/order_paid", { emailSubject: "Thanks! #{{order.number}}", emailHtml: "<h1>{{order.total}}</h1><p>{{order.shippingAddress.name}}</p>" }, ["manager"]);
    expect(put.status).toBe(200);
    expect(NotificationTemplate.parse(put.body)).toMatchObject({ custom: true, emailSubject: "Thanks! #{{order.number}}" });
    const preview = RenderedTemplate.parse((await h.t.call(acme, "POST", "/api/v1/admin/notifications/templates/order_paid/preview", { smsText: "{{order.number}} {{order.total}}" })).body);
    expect(preview.email).toMatchObject({ subject: "Thanks! #1042", html: "<h1>$123.53</h1><p>Ada Lovelace</p>" });
    expect(preview.sms?.text).toBe("1042 $123.53");
    const bare = RenderedTemplate.parse((await h.t.call(acme, "POST", "/api/v1/admin/notifications/templates/order_created/preview")).body);
    expect(bare.email?.html).toContain("Linen shirt &lt;Blue&gt;");

    const order = sampleOrder({ number: "77", shippingAddress: { ...sampleOrder().shippingAddress, name: "<img src=x onerror=alert(1)>" } });
    h.orders.set(order.id, order);
    await h.publish(acme, OrderEvents.paid, order.id, { orderId: order.id, number: "77", status: "paid", total: order.total, currency: "USD", email: order.email });
    const mail = await eventually(async () => MailboxPage.parse((await h.t.call(acme, "GET", "/api/v1/admin/mailbox")).body).items.find((m) => m.subject === "Thanks! #77"), "the edited template in use");
    expect(mail.html).toBe("<h1>$123.53</h1><p>&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;</p>");

    const reset = await h.t.call(acme, "DELETE", "/api/v1/admin/notifications/templates/order_paid");
    expect(NotificationTemplate.parse(reset.body)).toMatchObject({ custom: false, emailSubject: "Order {{order.number}} confirmed" });
  });

  it("bad input is a problem+json and changes nothing", async () => {
    const before = (await h.t.call(volt, "GET", "/api/v1/admin/notifications/templates/order_shipped")).body;
    const raw = expectProblem(await h.t.call(volt, "PUT", "/api/v1/admin/notifications/templates/order_shipped", { emailHtml: "<p>{{{order.carrier}}}</p>", emailSubject: "ok" }), 422);
    expect(raw.errors?.[0]?.path).toBe("emailHtml");
    expectProblem(await h.t.call(volt, "PUT", "/api/v1/admin/notifications/templates/order_shipped", { emailSubject: "{{#if}}" }), 422);
    expectProblem(await h.t.call(volt, "PUT", "/api/v1/admin/notifications/templates/order_shipped", {}), 422);
    expectProblem(await h.t.call(volt, "PUT", "/api/v1/admin/notifications/templates/order_shipped", { smsText: "{{#each}}{{/each}}" }), 422);
    expectProblem(await h.t.call(volt, "POST", "/api/v1/admin/notifications/templates/order_shipped/preview", { pushBody: "{{> footer}}" }), 422);
    expectProblem(await h.t.call(volt, "PUT", "/api/v1/admin/notifications/templates/order_shipped", "not json", ["owner"], { contentType: "application/json" }), 400);
    expectProblem(await h.t.call(volt, "PUT", "/api/v1/admin/notifications/templates/nope", { emailSubject: "x" }), 422);
    expect((await h.t.call(volt, "GET", "/api/v1/admin/notifications/templates/order_shipped")).body).toEqual(before);

    const settingsBefore = (await h.t.call(volt, "GET", "/api/v1/admin/notifications/settings")).body;
    expectProblem(await h.t.call(volt, "PUT", "/api/v1/admin/notifications/settings", { sms: { provider: "twilio" } }), 422);
    expectProblem(await h.t.call(volt, "PUT", "/api/v1/admin/notifications/settings", { sender: { email: "not-an-email" } }), 422);
    expectProblem(await h.t.call(volt, "PUT", "/api/v1/admin/notifications/settings", { unknown: true }), 422);
    expectProblem(await h.t.call(volt, "PUT", "/api/v1/admin/notifications/settings", { email: { provider: "smtp", smtp: { host: "bad host;", port: 25 } } }), 422);
    expect((await h.t.call(volt, "GET", "/api/v1/admin/notifications/settings")).body).toEqual(settingsBefore);

    expectProblem(await h.t.call(volt, "POST", "/api/v1/push/subscriptions", { endpoint: "ftp://x", keys: { p256dh: "short", auth: "x" } }, null), 422);
    expectProblem(await h.t.call(volt, "POST", "/api/v1/admin/notifications/deliveries/dlv_00000000000000000000000000/resend"), 404);
    expectProblem(await h.t.call(volt, "GET", "/api/v1/admin/notifications/deliveries?status=lost"), 422);
    expectProblem(await h.t.call(volt, "POST", "/api/v1/admin/notifications/campaigns", { name: "x", channels: ["email"] }), 422);
    // Roles: a viewer reads but does not edit; settings are the owner's.
    expectProblem(await h.t.call(volt, "PUT", "/api/v1/admin/notifications/templates/order_shipped", { emailSubject: "x" }, ["viewer"]), 403);
    expectProblem(await h.t.call(volt, "PUT", "/api/v1/admin/notifications/settings", { staffEmail: "a@b.co" }, ["manager"]), 403);
    expectProblem(await h.t.call(volt, "GET", "/api/v1/admin/mailbox", undefined, ["shopper"]), 403);
    expectProblem(await h.t.call(volt, "GET", "/api/v1/admin/mailbox", undefined, null), 401);
  });

  it("credentials are write-only and sealed at rest; SMS goes out through the store's Twilio account", async () => {
    const sid = `AC${"a".repeat(32)}`;
    const res = await h.t.call(volt, "PUT", "/api/v1/admin/notifications/settings", {
      channels: { sms: true, email: false },
      sender: { smsFrom: "+15550001111" },
      sms: { provider: "twilio", twilioAccountSid: sid },
      secrets: { twilioAuthToken: "twilio-secret-token-9876" },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const s = NotificationSettings.parse(res.body);
    expect(s.secrets.twilioAuthToken).toEqual({ set: true, last4: "9876" });
    expect(JSON.stringify(res.body)).not.toContain("twilio-secret-token");
    expect(JSON.stringify((await h.t.call(volt, "GET", "/api/v1/admin/notifications/settings")).body)).not.toContain("twilio-secret-token");
    const [row] = await h.db.sql`select secrets::text as s from ${h.db.sql(schemaOf(volt))}.notification_settings`;
    expect(row?.s).not.toContain("twilio-secret-token");

    const order = sampleOrder({ number: "88" });
    h.orders.set(order.id, order);
    await h.publish(volt, OrderEvents.cancelled, order.id, { orderId: order.id, number: "88", status: "cancelled", total: order.total, currency: "USD", email: order.email });
    const req = await eventually(() => twilio.requests[0], "the Twilio request");
    expect(req.path).toBe(`/2010-04-01/Accounts/${sid}/Messages.json`);
    expect(req.headers.authorization).toBe(`Basic ${Buffer.from(`${sid}:twilio-secret-token-9876`).toString("base64")}`);
    expect(Object.fromEntries(new URLSearchParams(req.body))).toMatchObject({ To: "+15551234567", From: "+15550001111", Body: "admin-volt: order 88 was cancelled." });
    await eventually(async () => DeliveryPage.parse((await h.t.call(volt, "GET", "/api/v1/admin/notifications/deliveries?channel=sms")).body).items[0]?.status === "sent", "sms sent");
  });

  it("a store's VAPID key pair is made once, even on concurrent first use", async () => {
    const store = await h.t.provision("admin-vapid");
    const keys = await Promise.all(Array.from({ length: 6 }, () => h.t.call<{ publicKey: string }>(store, "GET", "/api/v1/push/public-key", undefined, null)));
    expect(new Set(keys.map((k) => k.body.publicKey)).size).toBe(1);
    expect(keys[0]!.body.publicKey).toMatch(/^B[A-Za-z0-9_-]{86}$/);
    const other = await h.t.call<{ publicKey: string }>(acme, "GET", "/api/v1/push/public-key", undefined, null);
    expect(other.body.publicKey).not.toBe(keys[0]!.body.publicKey);
  });

  it("a browser's subscription can be forgotten; old log rows are pruned", async () => {
    const sub = { endpoint: "https://push.example.com/send/abc", keys: { p256dh: `B${"A".repeat(86)}`, auth: "AAAAAAAAAAAAAAAAAAAAAA" } };
    expect((await h.t.call(acme, "POST", "/api/v1/push/subscriptions", sub, null)).status).toBe(201);
    const count = async () => (await h.db.sql`select count(*)::int as n from ${h.db.sql(schemaOf(acme))}.push_subscriptions`)[0]?.n as number;
    expect(await count()).toBe(1);
    expectProblem(await h.t.call(acme, "DELETE", "/api/v1/push/subscriptions", { endpoint: "nope" }, null), 422);
    expect((await h.t.call(volt, "DELETE", "/api/v1/push/subscriptions", { endpoint: sub.endpoint }, null)).status).toBe(204);
    expect(await count()).toBe(1);
    expect((await h.t.call(acme, "DELETE", "/api/v1/push/subscriptions", { endpoint: sub.endpoint }, null)).status).toBe(204);
    expect(await count()).toBe(0);

    const schema = h.db.sql(schemaOf(acme));
    await h.db.sql`insert into ${schema}.mailbox (id, delivery_id, channel, "to", created_at) values ('mbx_old', 'dlv_old', 'email', 'x@y.z', now() - interval '40 days')`;
    await h.db.sql`insert into ${schema}.deliveries (id, channel, recipient, template, status, source_id, created_at) values ('dlv_old', 'email', 'x@y.z', 'order_paid', 'sent', 'evt_old', now() - interval '200 days')`;
    await h.svc.job.prune();
    expect(await h.db.sql`select id from ${schema}.mailbox where id = 'mbx_old'`).toHaveLength(0);
    expect(await h.db.sql`select id from ${schema}.deliveries where id = 'dlv_old'`).toHaveLength(0);
    expect((await h.db.sql`select count(*)::int as n from ${schema}.mailbox`)[0]?.n).toBeGreaterThan(0);
  });

  it("email goes out through the store's SendGrid account", async () => {
    const store = await h.t.provision("admin-sendgrid");
    const res = await h.t.call(store, "PUT", "/api/v1/admin/notifications/settings", { sender: { name: "Grid Shop", email: "hello@grid.test" }, email: { provider: "sendgrid" }, secrets: { sendgridApiKey: "SG.store-key-1234" } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    await h.publish(store, IdentityEvents.emailVerificationRequested, "acc_9", { accountId: "acc_9", email: "new@shopper.test", verifyUrl: "https://grid.localhost/verify?t=1", expiresAt: "2030-01-01T00:00:00.000Z" });
    const req = await eventually(() => sendgrid.requests[0], "the SendGrid request");
    expect(req.path).toBe("/v3/mail/send");
    expect(req.headers.authorization).toBe("Bearer SG.store-key-1234");
    const body = JSON.parse(req.body) as { from: unknown; subject: string; personalizations: { to: { email: string }[] }[]; content: { value: string }[] };
    expect(body.from).toEqual({ email: "hello@grid.test", name: "Grid Shop" });
    expect(body.subject).toBe("Confirm your email for Grid Shop");
    expect(body.personalizations[0]?.to[0]?.email).toBe("new@shopper.test");
    expect(body.content[0]?.value).toContain("https://grid.localhost/verify?t=1");
    const sent = await eventually(async () => DeliveryPage.parse((await h.t.call(store, "GET", "/api/v1/admin/notifications/deliveries?status=sent")).body).items[0], "sent");
    expect(sent.provider).toBe("sendgrid");
  });

  it("another store cannot read a store's mailbox, templates, deliveries or settings", async () => {
    await h.t.call(acme, "PUT", "/api/v1/admin/notifications/templates/stock_low", { emailSubject: "ACME ONLY {{stock.sku}}" });
    expect(NotificationTemplate.parse((await h.t.call(volt, "GET", "/api/v1/admin/notifications/templates/stock_low")).body).custom).toBe(false);
    const acmeBox = MailboxPage.parse((await h.t.call(acme, "GET", "/api/v1/admin/mailbox")).body).items;
    expect(acmeBox.length).toBeGreaterThan(0);
    const voltBox = MailboxPage.parse((await h.t.call(volt, "GET", "/api/v1/admin/mailbox")).body).items;
    expect(voltBox.some((m) => acmeBox.some((a) => a.id === m.id))).toBe(false);
    const acmeDelivery = DeliveryPage.parse((await h.t.call(acme, "GET", "/api/v1/admin/notifications/deliveries")).body).items[0]!;
    expectProblem(await h.t.call(volt, "GET", `/api/v1/admin/notifications/deliveries/${acmeDelivery.id}`), 404);
    expectProblem(await h.t.call(volt, "POST", `/api/v1/admin/notifications/deliveries/${acmeDelivery.id}/resend`), 404);
    expect(NotificationSettings.parse((await h.t.call(acme, "GET", "/api/v1/admin/notifications/settings")).body).secrets.twilioAuthToken?.set).toBe(false);
  });

  it("a campaign reaches only shoppers who opted in; unsubscribe links are honoured; sending is throttled per channel", async () => {
    const store = await h.t.provision("admin-promo");
    await h.t.call(store, "PUT", "/api/v1/admin/notifications/settings", { throttle: { email: 2 } });
    for (const [i, email] of ["a@shoppers.test", "b@shoppers.test", "c@shoppers.test", "d@shoppers.test"].entries()) {
      const res = await h.as(store, { sub: `acc_${i}`, roles: ["shopper"], email }, "POST", "/api/v1/notifications/consents", { channel: "email", optIn: i !== 3 });
      expect(res.status).toBe(200);
    }
    expectProblem(await h.as(store, { sub: "acc_x", roles: ["shopper"] }, "POST", "/api/v1/notifications/consents", { channel: "email", optIn: true }), 422);
    expectProblem(await h.t.call(store, "POST", "/api/v1/notifications/consents", { channel: "email", optIn: true }, null), 401);
    expect(ConsentPage.parse((await h.t.call(store, "GET", "/api/v1/admin/notifications/consents")).body).items).toHaveLength(4);

    // c unsubscribes with the link of a first campaign.
    const first = Campaign.parse((await h.t.call(store, "POST", "/api/v1/admin/notifications/campaigns", { name: "Spring", channels: ["email"], email: { subject: "Spring sale at {{store.name}}", html: "<p>Hi {{recipient.address}}</p>", text: "Hi {{recipient.address}}" } }, ["manager"])).body);
    expect(first.recipients).toBe(3);
    const mails = async () => MailboxPage.parse((await h.t.call(store, "GET", "/api/v1/admin/mailbox?limit=100")).body).items;
    // Throttle: 2 a minute for email, so the third waits.
    await eventually(async () => (await mails()).length === 2, "two campaign messages");
    await h.svc.job.tick();
    expect(await mails()).toHaveLength(2);
    const queued = DeliveryPage.parse((await h.t.call(store, "GET", "/api/v1/admin/notifications/deliveries?status=queued")).body).items;
    expect(queued).toHaveLength(1);
    const mail = (await mails())[0]!;
    const link = /Unsubscribe: (\S+)/.exec(mail.text ?? "")?.[1];
    expect(link).toBeTruthy();
    const url = new URL(link!);
    expect(url.host).toBe("admin-promo.localhost:8080");
    const page = await h.t.call<string>(store, "GET", `${url.pathname}${url.search}`, undefined, null);
    expect(page.status).toBe(200);
    expect(page.body).toContain("<form method=\"post\"");
    expectProblem(await h.t.call(volt, "POST", `${url.pathname}${url.search}`, undefined, null), 404);
    expectProblem(await h.t.call(store, "POST", `${url.pathname}${url.search.slice(0, -3)}xyz`, undefined, null), 404);
    const done = await h.t.call(store, "POST", `${url.pathname}${url.search}`, undefined, null);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ channel: "email", address: mail.to, optedIn: false });

    const second = Campaign.parse((await h.t.call(store, "POST", "/api/v1/admin/notifications/campaigns", { name: "Summer", channels: ["email"], email: { subject: "Summer", html: "<p>x</p>", text: "x" } })).body);
    expect(second.recipients).toBe(2);
    const [row] = await h.db.sql`select count(*)::int as n from ${h.db.sql(schemaOf(store))}.deliveries where source_id = ${second.id} and recipient = ${mail.to}`;
    expect(row?.n).toBe(0);
    expectProblem(await h.t.call(store, "POST", "/api/v1/admin/notifications/campaigns", { name: "Texts", channels: ["sms"], sms: { text: "hi" } }), 409);
  });
});
