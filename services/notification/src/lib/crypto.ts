import { hkdfSync } from "node:crypto";

/**
 * Store credentials (SMTP password, SendGrid key, Twilio token) and VAPID private keys at rest:
 * AES-256-GCM from the kit. The key is `NOTIFICATION_SECRETS_KEY` (32 bytes, hex or base64) or, in
 * the embedded profile only, derived from the internal secret with HKDF.
 */
export function secretsKey(configured: string | undefined, fallbackSecret: string): Buffer {
  if (configured) {
    const raw = /^[0-9a-f]{64}$/i.test(configured) ? Buffer.from(configured, "hex") : Buffer.from(configured, "base64");
    if (raw.length !== 32) throw new Error("NOTIFICATION_SECRETS_KEY must be 32 bytes (64 hex characters or base64)");
    return raw;
  }
  return Buffer.from(hkdfSync("sha256", fallbackSecret, "bazaar-notification", "store-secrets", 32));
}

export { seal, unseal } from "@bazaar/service-kit/crypto";
