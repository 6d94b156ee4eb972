import { describe, expect, it } from "vitest";
import { sha256 } from "../../lib/crypto.ts";
import { resolveSettings } from "../../settings.ts";
import { ACTION_KEY_RE, actionTokenState, actionUrl, mintActionKey } from "./action-tokens.ts";

describe("action tokens", () => {
  it("mints a 256-bit key and keeps only its SHA-256", () => {
    const a = mintActionKey();
    const b = mintActionKey();
    expect(a.key).toMatch(ACTION_KEY_RE);
    expect(a.hash).toBe(sha256(a.key));
    expect(a.hash).not.toBe(a.key);
    expect(a.key).not.toBe(b.key);
  });

  it("builds Keycloak's action-token link under the realm's issuer", () => {
    const settings = resolveSettings({ publicUrl: "https://shop.example/" } as never);
    expect(actionUrl(settings, "acme", "k-1_x")).toBe("https://shop.example/auth/realms/acme/login-actions/action-token?key=k-1_x");
  });

  it("is valid until it expires or is used; used wins", () => {
    const now = new Date("2030-01-01T00:00:00Z");
    const later = new Date(now.getTime() + 1000);
    const earlier = new Date(now.getTime() - 1000);
    expect(actionTokenState({ usedAt: null, expiresAt: later }, now)).toBe("valid");
    expect(actionTokenState({ usedAt: null, expiresAt: now }, now)).toBe("expired");
    expect(actionTokenState({ usedAt: null, expiresAt: earlier }, now)).toBe("expired");
    expect(actionTokenState({ usedAt: earlier, expiresAt: later }, now)).toBe("used");
    expect(actionTokenState({ usedAt: earlier, expiresAt: earlier }, now)).toBe("used");
  });
});
