import { describe, expect, it } from "vitest";
import { formatMoney } from "./money.ts";

describe("formatMoney", () => {
  it("formats minor units exactly, per currency's digits", () => {
    expect(formatMoney(123456, "USD")).toBe("$1,234.56");
    expect(formatMoney(5, "USD")).toBe("$0.05");
    expect(formatMoney(0, "EUR")).toBe("€0.00");
    expect(formatMoney(1500, "JPY")).toBe("¥1,500");
    expect(formatMoney(1234, "KWD")).toMatch(/^KWD\s1\.234$/);
    expect(formatMoney(-250, "USD")).toBe("-$2.50");
    expect(formatMoney(900719925474099, "USD")).toBe("$9,007,199,254,740.99");
  });
});
