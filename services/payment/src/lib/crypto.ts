import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

/**
 * Gateway credentials at rest: AES-256-GCM as identity seals its private keys. The key is
 * `PAYMENT_SECRETS_KEY` (32 bytes, base64 or hex) or, in the embedded profile only, derived from the
 * internal secret with HKDF. `aad` binds a sealed value to its store and field, so a ciphertext
 * copied to another store or field does not open.
 */
export function secretsKey(configured: string | undefined, fallbackSecret: string): Buffer {
  if (configured) {
    const raw = /^[0-9a-f]{64}$/i.test(configured) ? Buffer.from(configured, "hex") : Buffer.from(configured, "base64");
    if (raw.length !== 32) throw new Error("PAYMENT_SECRETS_KEY must be 32 bytes (64 hex characters or base64)");
    return raw;
  }
  return Buffer.from(hkdfSync("sha256", fallbackSecret, "bazaar-payment", "gateway-secrets", 32));
}

export function seal(key: Buffer, plaintext: string, aad: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(aad));
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64url"), body.toString("base64url"), cipher.getAuthTag().toString("base64url")].join(".");
}

export function unseal(key: Buffer, sealed: string, aad: string): string {
  const [v, iv, body, tag] = sealed.split(".");
  if (v !== "v1" || !iv || !body || !tag) throw new Error("unsupported sealed value");
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
}
