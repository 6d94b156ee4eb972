import { describe, expect, it } from "vitest";
import { slugify } from "./products.service.ts";

describe("slugify", () => {
  it.each([
    ["Blue Mug", "blue-mug"],
    ["Crème Brûlée", "creme-brulee"],
    ["Ação & Café", "acao-cafe"],
    ["  Hello, World!  ", "hello-world"],
    ["T-Shirt (XL) / 100% cotton", "t-shirt-xl-100-cotton"],
    ["--already--slugged--", "already-slugged"],
    ["ＦＵＬＬ width", "full-width"],
  ])("turns %j into %j", (name, slug) => {
    expect(slugify(name)).toBe(slug);
  });

  it.each(["", "   ", "!!!", "日本語", "🙂"])("falls back to 'product' for %j", (name) => {
    expect(slugify(name)).toBe("product");
  });

  it("keeps slugs at most 100 characters without a trailing hyphen", () => {
    expect(slugify("a".repeat(300))).toBe("a".repeat(100));
    const cut = slugify(`${"a".repeat(99)} bcd`);
    expect(cut).toBe("a".repeat(99));
    expect(cut.length).toBeLessThanOrEqual(100);
  });

  it("always produces a URL-safe slug", () => {
    for (const name of ["Ünïcödé Ñame", "x\u0000y", "<script>alert(1)</script>", "a/../b", "DROP TABLE products;"]) {
      expect(slugify(name)).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
    }
  });
});
