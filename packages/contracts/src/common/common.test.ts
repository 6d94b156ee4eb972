import { describe, expect, it } from "vitest";
import { Money, TenantId, TenantSlug } from "./index.ts";

describe("Money", () => {
  it.each([0, 1, 1999, Number.MAX_SAFE_INTEGER])("accepts %d minor units", (amount) => {
    expect(Money.parse({ amount, currency: "USD" })).toEqual({ amount, currency: "USD" });
  });

  it.each([
    ["a float", { amount: 19.99, currency: "USD" }],
    ["a negative amount", { amount: -1, currency: "USD" }],
    ["NaN", { amount: Number.NaN, currency: "USD" }],
    ["Infinity", { amount: Number.POSITIVE_INFINITY, currency: "USD" }],
    ["an unsafe integer", { amount: Number.MAX_SAFE_INTEGER + 1, currency: "USD" }],
    ["a numeric string", { amount: "100", currency: "USD" }],
    ["a lowercase currency", { amount: 100, currency: "usd" }],
    ["a long currency", { amount: 100, currency: "USDT" }],
    ["a missing currency", { amount: 100 }],
  ])("rejects %s", (_what, value) => {
    expect(Money.safeParse(value).success).toBe(false);
  });
});

describe("TenantSlug", () => {
  it.each(["acme", "ab", "my-shop", "a--b", "shop42", "4x4", "a".repeat(40)])("accepts %j", (slug) => {
    expect(TenantSlug.safeParse(slug).success).toBe(true);
  });

  it.each(["a", "", "Acme", "-acme", "acme-", "my shop", "my_shop", "../x", "acme'--", "acme;drop", "a.b", "ａｃｍｅ", "a".repeat(41)])("rejects %j", (slug) => {
    expect(TenantSlug.safeParse(slug).success).toBe(false);
  });
});

describe("TenantId", () => {
  it("accepts ten_ plus a lowercase ULID and rejects anything else", () => {
    expect(TenantId.safeParse("ten_01jd5m3x4s9t2v8w0y1z2a3b4c").success).toBe(true);
    for (const bad of ["ten_01JD5M3X4S9T2V8W0Y1Z2A3B4C", "ten_../x", "prod_01jd5m3x4s9t2v8w0y1z2a3b4c", "ten_01jd5m3x4s9t2v8w0y1z2a3b4", "ten_01jd5m3x4s9t2v8w0y1z2a3b4c\n"]) {
      expect(TenantId.safeParse(bad).success).toBe(false);
    }
  });
});
