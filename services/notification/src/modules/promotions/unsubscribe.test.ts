import { describe, expect, it } from "vitest";
import { UnsubscribeTokens } from "./unsubscribe.ts";

describe("unsubscribe tokens", () => {
  const tokens = new UnsubscribeTokens("test-internal-secret-0123456789");
  const claim = { tenantId: "ten_01jd5m3x4s9t2v8w0y1z2a3b4c", channel: "email" as const, address: "ada@example.com" };

  it("round-trips a signed claim", () => {
    expect(tokens.verify(tokens.sign(claim))).toEqual(claim);
  });

  it("refuses altered, truncated or foreign tokens", () => {
    const t = tokens.sign(claim);
    const [payload, sig] = t.split(".");
    const forged = Buffer.from(JSON.stringify([claim.tenantId, "email", "someone@else.com"])).toString("base64url");
    expect(tokens.verify(`${forged}.${sig}`)).toBeUndefined();
    expect(tokens.verify(`${payload}.${sig!.slice(0, -2)}AA`)).toBeUndefined();
    expect(tokens.verify(payload!)).toBeUndefined();
    expect(new UnsubscribeTokens("another-secret-0123456789abcdef").verify(t)).toBeUndefined();
  });
});
