import { createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";

/** SHA-256, base64url: how codes and action tokens are stored (a database leak yields no usable token). */
export const sha256 = (value: string) => createHash("sha256").update(value).digest("base64url");

/** An unguessable token: 256 bits, base64url. */
export const randomToken = (bytes = 32) => randomBytes(bytes).toString("base64url");

export const hmac = (key: Buffer, value: string) => createHmac("sha256", key).update(value).digest("base64url");

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A purpose-bound 256-bit key from the service secret (HKDF-SHA256), so one secret never serves two uses. */
export function deriveKey(secret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, "bazaar-identity", purpose, 32));
}

export { seal, unseal } from "@bazaar/service-kit/crypto";
