import { createHmac, timingSafeEqual } from "node:crypto";

/** Signed order access tokens: a guest reads their order with the token checkout answered. */
export class OrderTokens {
  constructor(private readonly secret: string) {}

  sign(tenantId: string, orderId: string): string {
    return createHmac("sha256", this.secret).update(`order-access:${tenantId}:${orderId}`).digest("base64url");
  }

  verify(tenantId: string, orderId: string, token: string | undefined): boolean {
    if (!token) return false;
    const want = Buffer.from(this.sign(tenantId, orderId));
    const got = Buffer.from(token);
    return want.length === got.length && timingSafeEqual(want, got);
  }
}
