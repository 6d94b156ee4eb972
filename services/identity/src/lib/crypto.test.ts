import { describe, expect, it } from "vitest";
import { deriveKey, seal, sha256, unseal } from "./crypto.ts";

describe("seal / unseal", () => {
  const key = deriveKey("a-service-secret-of-some-length", "signing-keys:v1");

  it("round-trips and never stores the plaintext", () => {
    const sealed = seal(key, '{"d":"private"}', "kid-1");
    expect(sealed).not.toContain("private");
    expect(unseal(key, sealed, "kid-1")).toBe('{"d":"private"}');
  });

  it("uses a fresh IV each time", () => {
    expect(seal(key, "same", "k")).not.toBe(seal(key, "same", "k"));
  });

  it("refuses a tampered value, another row's AAD, or another secret", () => {
    const sealed = seal(key, "secret", "kid-1");
    const parts = sealed.split(".");
    const body = Buffer.from(parts[2]!, "base64url");
    body[0]! ^= 1;
    const tampered = [parts[0], parts[1], body.toString("base64url"), parts[3]].join(".");
    expect(() => unseal(key, tampered, "kid-1")).toThrow();
    expect(() => unseal(key, sealed, "kid-2")).toThrow();
    expect(() => unseal(deriveKey("another-secret-entirely", "signing-keys:v1"), sealed, "kid-1")).toThrow();
    expect(() => unseal(key, "v2.a.b.c", "kid-1")).toThrow();
  });

  it("derives different keys for different purposes", () => {
    expect(deriveKey("s".repeat(20), "a").equals(deriveKey("s".repeat(20), "b"))).toBe(false);
  });

  it("hashes to base64url SHA-256 (RFC 7636 S256 test vector)", () => {
    expect(sha256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")).toBe("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  });
});
