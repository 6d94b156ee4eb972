import { describe, expect, it } from "vitest";
import { CartTokens } from "./carts.token.ts";

describe("CartTokens", () => {
  const tokens = new CartTokens("test-secret-0123456789");
  const t = "ten_01jd5m3x4s9t2v8w0y1z2a3b4c";
  const id = "cart_01jd5m3x4s9t2v8w0y1z2a3b4c";

  it("verifies a token for its store and cart only", () => {
    const token = tokens.issue(t, id);
    expect(token.startsWith(`${id}.`)).toBe(true);
    expect(tokens.verify(t, id, token)).toBe(true);
    expect(tokens.verify("ten_01jd5m3x4s9t2v8w0y1z2a3b4d", id, token)).toBe(false);
    expect(tokens.verify(t, "cart_01jd5m3x4s9t2v8w0y1z2a3b4d", token)).toBe(false);
    expect(tokens.verify(t, id, undefined)).toBe(false);
    expect(tokens.verify(t, id, "")).toBe(false);
    expect(tokens.verify(t, id, `${token}x`)).toBe(false);
    expect(tokens.verify(t, id, token.replace(/.$/, (c) => (c === "A" ? "B" : "A")))).toBe(false);
    expect(new CartTokens("another-secret-0123456789").verify(t, id, token)).toBe(false);
  });
});
