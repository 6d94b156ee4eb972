import { createHmac, timingSafeEqual } from "node:crypto";

export const CART_TOKEN_HEADER = "x-cart-token";
export const CART_COOKIE = "bazaar_cart";

/**
 * Guest cart tokens: `<cartId>.<HMAC-SHA256(store, cart id)>`, keyed by a key derived from the
 * platform secret. A token proves the holder was given this cart of this store; it never expires
 * by itself (the cart does, 30 days after its last use), and it cannot be made for another store's
 * cart or another cart id.
 */
export class CartTokens {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = createHmac("sha256", secret).update("bazaar:cart-token:v1").digest();
  }

  private mac(tenantId: string, cartId: string): string {
    return createHmac("sha256", this.key).update(`${tenantId}:${cartId}`).digest("base64url");
  }

  issue(tenantId: string, cartId: string): string {
    return `${cartId}.${this.mac(tenantId, cartId)}`;
  }

  /** True when `token` was issued for this cart of this store. */
  verify(tenantId: string, cartId: string, token: string | undefined): boolean {
    if (!token) return false;
    const dot = token.lastIndexOf(".");
    if (dot <= 0 || token.slice(0, dot) !== cartId) return false;
    const got = Buffer.from(token.slice(dot + 1));
    const want = Buffer.from(this.mac(tenantId, cartId));
    return got.length === want.length && timingSafeEqual(got, want);
  }
}
