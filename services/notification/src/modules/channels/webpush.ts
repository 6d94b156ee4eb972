import type { Agent } from "node:https";
import webpush from "web-push";
import { DeliveryError, httpFailure, type OutgoingMessage, type SendResult, type Transport } from "./channel.ts";
import { assertPublicHost } from "./public-host.ts";

export function generateVapidKeys(): { publicKey: string; privateKey: string } {
  return webpush.generateVAPIDKeys();
}

/** Web Push (`web-push`): the payload encrypted for the subscription (aes128gcm), signed with the store's VAPID key. */
export class WebPushTransport implements Transport {
  readonly provider = "webpush";
  /** `publicOnly`: refuse an endpoint on a private or local network (endpoints come from browsers, so from anyone). */
  constructor(private readonly opts: { timeoutMs?: number; ttlSeconds?: number; agent?: Agent; publicOnly?: boolean } = {}) {}

  async send(msg: OutgoingMessage): Promise<SendResult> {
    if (!msg.push) throw new DeliveryError("webpush: no subscription", true);
    const { subscription, vapid, payload } = msg.push;
    if (this.opts.publicOnly) await assertPublicHost(new URL(subscription.endpoint).hostname);
    try {
      const res = await webpush.sendNotification(subscription, payload, {
        vapidDetails: vapid,
        TTL: this.opts.ttlSeconds ?? 24 * 3600,
        timeout: this.opts.timeoutMs ?? 15_000,
        contentEncoding: "aes128gcm",
        ...(this.opts.agent ? { agent: this.opts.agent } : {}),
      });
      const location = res.headers.location;
      return typeof location === "string" ? { ref: location } : {};
    } catch (err) {
      const e = err as { statusCode?: number; body?: string; message: string };
      throw httpFailure("webpush", e.statusCode, e.body || e.message);
    }
  }
}
