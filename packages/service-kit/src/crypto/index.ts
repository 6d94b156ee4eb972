import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * Secrets at rest (identity's signing keys, payment gateway credentials): AES-256-GCM with a random
 * 96-bit IV, as `v1.<iv>.<ciphertext>.<tag>` (base64url). `aad` binds the ciphertext to its row and
 * field, so a sealed value copied elsewhere does not open.
 * @example unseal(key, seal(key, "sk_live_...", `${tenantId}:stripe:secretKey`), `${tenantId}:stripe:secretKey`)
 */
export function seal(key: Buffer, plaintext: string, aad: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(aad));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64url"), body.toString("base64url"), cipher.getAuthTag().toString("base64url")].join(".");
}

/** Open a value made by `seal` with the same key and `aad`; throws when either differs or it was altered. */
export function unseal(key: Buffer, sealed: string, aad: string): string {
  const [v, iv, body, tag] = sealed.split(".");
  if (v !== "v1" || !iv || !body || !tag) throw new Error("unsupported sealed value");
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
}
