import { afterEach, describe, expect, it } from "vitest";
import { DeliveryError, type OutgoingMessage } from "./channel.ts";
import { startFake } from "./fake-server.ts";
import { startPushEndpoint } from "./push-endpoint.ts";
import { parseAddress, SendGridTransport } from "./sendgrid.ts";
import { TwilioTransport } from "./twilio.ts";
import { generateVapidKeys, WebPushTransport } from "./webpush.ts";

const base: OutgoingMessage = { deliveryId: "dlv_1", tenantId: "ten_1", channel: "email", to: "ada@example.com", from: "Acme <shop@acme.test>", subject: "Hi", html: "<p>Hi</p>", text: "Hi" };
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

describe("SendGrid", () => {
  it("posts the message to /v3/mail/send with the API key", async () => {
    const fake = await startFake(() => ({ status: 202, headers: { "x-message-id": "sg-123" } }));
    closers.push(fake.close);
    const out = await new SendGridTransport({ apiKey: "SG.test-key", baseUrl: fake.url }).send(base);
    expect(out.ref).toBe("sg-123");
    const [req] = fake.requests;
    expect(req?.method).toBe("POST");
    expect(req?.path).toBe("/v3/mail/send");
    expect(req?.headers.authorization).toBe("Bearer SG.test-key");
    const body = JSON.parse(req!.body) as { from: { email: string; name: string }; personalizations: { to: { email: string }[] }[]; subject: string; content: { type: string; value: string }[] };
    expect(body.from).toEqual({ email: "shop@acme.test", name: "Acme" });
    expect(body.personalizations[0]?.to[0]?.email).toBe("ada@example.com");
    expect(body.subject).toBe("Hi");
    expect(body.content.map((c) => c.type)).toEqual(["text/plain", "text/html"]);
  });

  it("a 400 is permanent, a 503 is retried", async () => {
    let status = 400;
    const fake = await startFake(() => ({ status, body: { errors: [{ message: "bad" }] } }));
    closers.push(fake.close);
    const t = new SendGridTransport({ apiKey: "SG.k", baseUrl: fake.url });
    await expect(t.send(base)).rejects.toMatchObject({ permanent: true });
    status = 503;
    await expect(t.send(base)).rejects.toMatchObject({ permanent: false });
  });

  it("parses sender addresses", () => {
    expect(parseAddress("a@b.c")).toEqual({ email: "a@b.c" });
    expect(parseAddress('"Acme Store" <a@b.c>')).toEqual({ email: "a@b.c", name: "Acme Store" });
  });
});

describe("Twilio", () => {
  const sid = `AC${"0".repeat(32)}`;
  it("creates a message with basic auth, To, From and Body", async () => {
    const fake = await startFake(() => ({ status: 201, body: { sid: "SM123", status: "queued" } }));
    closers.push(fake.close);
    const out = await new TwilioTransport({ accountSid: sid, authToken: "tok", from: "+15550000000", baseUrl: fake.url }).send({ ...base, channel: "sms", to: "+15551234567", from: null, text: "Order 1 shipped" });
    expect(out.ref).toBe("SM123");
    const [req] = fake.requests;
    expect(req?.path).toBe(`/2010-04-01/Accounts/${sid}/Messages.json`);
    expect(req?.headers.authorization).toBe(`Basic ${Buffer.from(`${sid}:tok`).toString("base64")}`);
    const form = new URLSearchParams(req!.body);
    expect(Object.fromEntries(form)).toMatchObject({ To: "+15551234567", From: "+15550000000", Body: "Order 1 shipped" });
  });

  it("a 400 (invalid number) is permanent", async () => {
    const fake = await startFake(() => ({ status: 400, body: { code: 21211, message: "Invalid 'To' Phone Number", status: 400 } }));
    closers.push(fake.close);
    const err = await new TwilioTransport({ accountSid: sid, authToken: "tok", from: "+15550000000", baseUrl: fake.url }).send({ ...base, channel: "sms", to: "+1", text: "x" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryError);
    expect((err as DeliveryError).permanent).toBe(true);
  });
});

describe("Web Push", () => {
  it("the endpoint receives a payload it can decrypt, with a valid VAPID signature", async () => {
    const browser = await startPushEndpoint();
    closers.push(browser.close);
    const vapid = { subject: "mailto:shop@acme.test", ...generateVapidKeys() };
    await new WebPushTransport({ agent: browser.agent }).send({ ...base, channel: "push", to: "psub_1", push: { subscription: browser.subscription, vapid, payload: JSON.stringify({ title: "Shipped", body: "UPS 1Z" }) } });
    const [req] = browser.requests;
    expect(req?.headers["content-encoding"]).toBe("aes128gcm");
    expect(browser.vapidValid(req!, vapid.publicKey)).toBe(true);
    expect(JSON.parse(browser.decrypt(req!))).toEqual({ title: "Shipped", body: "UPS 1Z" });
  });

  it("a gone subscription (410) is permanent", async () => {
    const browser = await startPushEndpoint(() => 410);
    closers.push(browser.close);
    const vapid = { subject: "mailto:shop@acme.test", ...generateVapidKeys() };
    await expect(new WebPushTransport({ agent: browser.agent }).send({ ...base, channel: "push", push: { subscription: browser.subscription, vapid, payload: "{}" } })).rejects.toMatchObject({ permanent: true });
  });
});
