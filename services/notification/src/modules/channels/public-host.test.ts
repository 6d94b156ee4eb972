import { describe, expect, it } from "vitest";
import { DeliveryError } from "./channel.ts";
import { assertPublicHost } from "./public-host.ts";
import { SmtpTransport } from "./smtp.ts";
import { WebPushTransport } from "./webpush.ts";

describe("assertPublicHost", () => {
  it.each(["127.0.0.1", "localhost", "10.1.2.3", "172.16.0.9", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "[::1]", "fd00::1", "fe80::1", "::ffff:127.0.0.1"])(
    "refuses %s for good (a permanent failure, never retried)",
    async (host) => {
      const err = await assertPublicHost(host).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DeliveryError);
      expect((err as DeliveryError).permanent).toBe(true);
    },
  );

  it("lets public addresses through", async () => {
    await expect(assertPublicHost("93.184.216.34")).resolves.toBeUndefined();
    await expect(assertPublicHost("2606:4700:4700::1111")).resolves.toBeUndefined();
  });

  it("guards the store-supplied SMTP host and push endpoint before connecting", async () => {
    const smtp = new SmtpTransport({ host: "127.0.0.1", port: 1, secure: false, publicOnly: true, timeoutMs: 200 });
    await expect(smtp.send({ channel: "email", to: "a@b.test", subject: "x", text: "x" } as never)).rejects.toThrow(/refused to connect to 127\.0\.0\.1: it resolves to a loopback address/);
    const push = new WebPushTransport({ publicOnly: true, timeoutMs: 200 });
    const msg = { channel: "push", to: "x", push: { subscription: { endpoint: "https://10.0.0.5/push/1", keys: { p256dh: "x", auth: "y" } }, vapid: { subject: "mailto:a@b.test", publicKey: "x", privateKey: "y" }, payload: "{}" } };
    await expect(push.send(msg as never)).rejects.toThrow(/refused to connect to 10\.0\.0\.5: it resolves to a private address/);
  });
});
