import { describe, expect, it } from "vitest";
import { SPECS } from "./generate.ts";
import { parseDemoImage, renderDemoImage } from "./media.ts";

describe("demo pictures", () => {
  it.each([
    ["0-0.svg", { type: 0, hue: 0 }],
    ["12-210.svg", { type: 12, hue: 210 }],
    ["3-359.svg", { type: 3, hue: 359 }],
    ["3-k0.svg", { type: 3, grey: 0 }],
    ["3-k100.svg", { type: 3, grey: 100 }],
  ])("reads %s", (file, want) => {
    expect(parseDemoImage("apparel", file)).toEqual(want);
  });

  it.each(["01-2.svg", "1-02.svg", "1-360.svg", "1-1000.svg", "99-1.svg", "1-1.png", "1-1.svg.svg", "-1-1.svg", "1--1.svg", "1-1", "", "../1-1.svg", "1-1.SVG", "1.5-1.svg", " 1-1.svg", "1-k101.svg", "1-k01.svg", "1-kk1.svg", "k1-1.svg", "1-K1.svg"])(
    "names no picture with %j",
    (file) => {
      expect(parseDemoImage("apparel", file)).toBeUndefined();
    },
  );

  it("knows how many types each kind has", () => {
    const last = SPECS.electronics.types.length - 1;
    expect(parseDemoImage("electronics", `${last}-1.svg`)).toBeDefined();
    expect(parseDemoImage("electronics", `${last + 1}-1.svg`)).toBeUndefined();
  });

  it("draws the same self-contained SVG every time, different per hue", () => {
    for (const kind of ["apparel", "electronics"] as const) {
      SPECS[kind].types.forEach((_, i) => {
        const svg = renderDemoImage(kind, { type: i, hue: 120 })!;
        expect(svg).toBe(renderDemoImage(kind, { type: i, hue: 120 }));
        expect(svg).not.toBe(renderDemoImage(kind, { type: i, hue: 121 }));
        expect(renderDemoImage(kind, { type: i, grey: 12 })).not.toBe(renderDemoImage(kind, { type: i, grey: 90 }));
        expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
        expect(svg).not.toMatch(/<script|<text|<image|<foreignObject|on\w+=|href|@import|url\((?!#)/i);
        expect(svg.match(/https?:\/\/[^"]*/g)).toEqual(["http://www.w3.org/2000/svg"]);
      });
    }
  });

  it("draws nothing for an unknown type or hue", () => {
    expect(renderDemoImage("apparel", { type: 999, hue: 10 })).toBeUndefined();
    expect(renderDemoImage("apparel", { type: 0, hue: 360 })).toBeUndefined();
    expect(renderDemoImage("apparel", { type: 0, hue: 1.5 })).toBeUndefined();
    expect(renderDemoImage("apparel", { type: 0, grey: 101 })).toBeUndefined();
  });
});
