import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { seal, unseal } from "./index.ts";

describe("seal / unseal", () => {
  const key = randomBytes(32);

  it("opens what it sealed, with the same key and aad; every seal differs", () => {
    const a = seal(key, "sk_live_secret", "ten_1:stripe:secretKey");
    expect(a).not.toBe(seal(key, "sk_live_secret", "ten_1:stripe:secretKey"));
    expect(a).not.toContain("sk_live_secret");
    expect(unseal(key, a, "ten_1:stripe:secretKey")).toBe("sk_live_secret");
  });

  it("refuses another aad, another key and any altered byte", () => {
    const sealed = seal(key, "secret", "row-1");
    expect(() => unseal(key, sealed, "row-2")).toThrow();
    expect(() => unseal(randomBytes(32), sealed, "row-1")).toThrow();
    const parts = sealed.split(".");
    const body = Buffer.from(parts[2]!, "base64url");
    body[0] = body[0]! ^ 1;
    expect(() => unseal(key, [parts[0], parts[1], body.toString("base64url"), parts[3]].join("."), "row-1")).toThrow();
    expect(() => unseal(key, "v2.x.y.z", "row-1")).toThrow("unsupported sealed value");
  });
});
