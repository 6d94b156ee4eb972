import { describe, expect, it } from "vitest";
import { bestCorrection, editDistance, queryTerms, tsQuerySource } from "./text.ts";

describe("queryTerms", () => {
  it("keeps letters and digits only, lower-cased, so nothing reaches to_tsquery as syntax", () => {
    expect(queryTerms("Rain  Jacket!")).toEqual(["rain", "jacket"]);
    expect(queryTerms("a & b | !c <-> d:*")).toEqual(["a", "b", "c", "d"]);
    expect(queryTerms("'; drop table products; --")).toEqual(["drop", "table", "products"]);
    expect(queryTerms("Crème brûlée 128GB")).toEqual(["crème", "brûlée", "128gb"]);
    expect(queryTerms(undefined)).toEqual([]);
    expect(queryTerms("  ")).toEqual([]);
  });

  it("keeps at most 8 words of at most 40 characters", () => {
    expect(queryTerms("w ".repeat(20))).toHaveLength(8);
    expect(queryTerms("x".repeat(100))[0]).toHaveLength(40);
  });
});

describe("tsQuerySource", () => {
  it("ANDs the words and lets the last one match as a prefix", () => {
    expect(tsQuerySource(["red", "jack"])).toBe("red & jack:*");
    expect(tsQuerySource(["jacket"])).toBe("jacket:*");
  });
});

describe("typo correction", () => {
  it("counts a swap of neighbours as one edit", () => {
    expect(editDistance("jakcet", "jacket")).toBe(1);
    expect(editDistance("jacket", "jacket")).toBe(0);
    expect(editDistance("hodie", "hoodie")).toBe(1);
    expect(editDistance("kitten", "sitting")).toBe(3);
  });

  it("picks the closest catalog word within the budget", () => {
    const candidates = [
      { word: "jacket", similarity: 0.27 },
      { word: "jackets", similarity: 0.22 },
      { word: "packet", similarity: 0.3 },
    ];
    expect(bestCorrection("jakcet", candidates)).toBe("jacket");
    expect(bestCorrection("zzzzzz", candidates)).toBeUndefined();
    expect(bestCorrection("cap", [{ word: "cat", similarity: 0.5 }])).toBeUndefined();
  });
});
