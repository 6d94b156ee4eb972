import { hkdfSync } from "node:crypto";

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

export { seal, unseal } from "@bazaar/service-kit/crypto";
