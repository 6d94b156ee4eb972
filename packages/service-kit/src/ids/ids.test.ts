import { describe, expect, it } from "vitest";
import { ID_PREFIXES, createId, randomHex, type IdKind } from "./index.ts";

describe("createId", () => {
  it("prefixes each kind with its allow-listed prefix and a lowercase 26-char ULID", () => {
    for (const [kind, prefix] of Object.entries(ID_PREFIXES) as [IdKind, string][]) {
      const id = createId(kind);
      expect(id).toMatch(new RegExp(`^${prefix}_[0-9a-z]{26}$`));
      expect(id).toBe(id.toLowerCase());
    }
    expect(createId("product")).toMatch(/^prod_[0-9a-z]{26}$/);
    expect(createId("tenant")).toMatch(/^ten_[0-9a-z]{26}$/);
  });

  it("is unique and sorts in creation order, even within one millisecond", () => {
    const ids = Array.from({ length: 1000 }, () => createId("product"));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });
});

describe("randomHex", () => {
  it("gives hex of the asked length, distinct across pool refills, with every digit in use", () => {
    const values = Array.from({ length: 2000 }, () => randomHex(16));
    for (const v of values) expect(v).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(values).size).toBe(values.length);
    expect(new Set(values.join(""))).toHaveLength(16);
  });
});
