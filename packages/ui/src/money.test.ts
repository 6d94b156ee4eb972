import { describe, expect, it } from "vitest";
import { currencyDigits, formatMoney, themeStyle } from "./index.tsx";

describe("formatMoney", () => {
  it("formats integer minor units per currency", () => {
    expect(formatMoney(1900, "USD")).toBe("$19.00");
    expect(formatMoney(4900, "EUR")).toBe("€49.00");
    expect(formatMoney(1500, "JPY")).toBe("¥1,500");
    expect(formatMoney(12345, "KWD")).toBe("KWD\u00a012.345");
    expect(formatMoney(5, "USD")).toBe("$0.05");
    expect(formatMoney(-250, "USD")).toBe("-$2.50");
    expect(formatMoney(4900, "EUR", "de-DE")).toBe("49,00\u00a0€");
  });

  it("keeps amounts beyond float precision exact", () => {
    expect(formatMoney(9_007_199_254_740_991, "USD")).toBe("$90,071,992,547,409.91");
  });

  it("drops zero decimals of whole amounts when asked", () => {
    expect(formatMoney(2500, "USD", "en-US", { trimZeros: true })).toBe("$25");
    expect(formatMoney(2550, "USD", "en-US", { trimZeros: true })).toBe("$25.50");
    expect(formatMoney(100000, "EUR", "en-US", { trimZeros: true })).toBe("€1,000");
    expect(formatMoney(1500, "JPY", "en-US", { trimZeros: true })).toBe("¥1,500");
  });

  it("refuses floats", () => {
    expect(() => formatMoney(19.99, "USD")).toThrow(RangeError);
  });

  it("knows each currency's digits", () => {
    expect([currencyDigits("USD"), currencyDigits("JPY"), currencyDigits("KWD")]).toEqual([2, 0, 3]);
  });
});

describe("themeStyle", () => {
  it("fills missing tokens from the default theme", () => {
    const style = themeStyle({ primary: "#111111", background: " " }) as Record<string, string>;
    expect(style["--bz-primary"]).toBe("#111111");
    expect(style["--bz-background"]).toBe("#f8fafc");
  });
});
