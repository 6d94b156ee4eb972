import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { seal, secretsKey, unseal } from "./crypto.ts";

describe("gateway secrets at rest", () => {
  it("round-trips with AES-256-GCM and refuses another row's binding or a tampered value", () => {
    const key = secretsKey(randomBytes(32).toString("hex"), "unused");
    const sealed = seal(key, "sk_test_123", "ten_a:stripe:secretKey");
    expect(sealed).not.toContain("sk_test_123");
    expect(unseal(key, sealed, "ten_a:stripe:secretKey")).toBe("sk_test_123");
    expect(() => unseal(key, sealed, "ten_b:stripe:secretKey")).toThrow();
    const parts = sealed.split(".");
    parts[2] = Buffer.from("sk_test_999").toString("base64url");
    expect(() => unseal(key, parts.join("."), "ten_a:stripe:secretKey")).toThrow();
  });

  it("takes a 32-byte key (hex or base64) and derives a dev key only when none is configured", () => {
    expect(secretsKey(randomBytes(32).toString("base64"), "x")).toHaveLength(32);
    expect(() => secretsKey("short", "x")).toThrow(/32 bytes/);
    expect(secretsKey(undefined, "s")).toEqual(secretsKey(undefined, "s"));
    expect(secretsKey(undefined, "s")).not.toEqual(secretsKey(undefined, "t"));
  });
});
