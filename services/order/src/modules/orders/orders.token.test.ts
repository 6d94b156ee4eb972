import { describe, expect, it } from "vitest";
import { OrderTokens } from "./orders.token.ts";

describe("order access tokens", () => {
  it("open one order of one store only", () => {
    const tokens = new OrderTokens("secret-a");
    const t = tokens.sign("ten_1", "ord_1");
    expect(tokens.verify("ten_1", "ord_1", t)).toBe(true);
    expect(tokens.verify("ten_1", "ord_2", t)).toBe(false);
    expect(tokens.verify("ten_2", "ord_1", t)).toBe(false);
    expect(tokens.verify("ten_1", "ord_1", undefined)).toBe(false);
    expect(new OrderTokens("secret-b").verify("ten_1", "ord_1", t)).toBe(false);
  });
});
