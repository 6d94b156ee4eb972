import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import type { NotificationChannel } from "@bazaar/contracts";

export interface UnsubscribeClaim {
  tenantId: string;
  channel: NotificationChannel;
  address: string;
}

/**
 * Unsubscribe links: the store, channel and address, HMAC-signed with a key derived from the platform
 * secret. They do not expire (a link in an old email must still work) and only ever opt out.
 */
export class UnsubscribeTokens {
  private readonly key: Buffer;
  constructor(secret: string) {
    this.key = Buffer.from(hkdfSync("sha256", secret, "bazaar-notification", "unsubscribe-links", 32));
  }

  sign(claim: UnsubscribeClaim): string {
    const payload = Buffer.from(JSON.stringify([claim.tenantId, claim.channel, claim.address])).toString("base64url");
    return `${payload}.${this.mac(payload)}`;
  }

  verify(token: string): UnsubscribeClaim | undefined {
    const [payload, sig] = token.split(".");
    if (!payload || !sig) return undefined;
    const expected = Buffer.from(this.mac(payload));
    const given = Buffer.from(sig);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    try {
      const [tenantId, channel, address] = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as [string, NotificationChannel, string];
      return { tenantId, channel, address };
    } catch {
      return undefined;
    }
  }

  private mac(payload: string): string {
    return createHmac("sha256", this.key).update(payload).digest("base64url");
  }
}
