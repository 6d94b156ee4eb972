import { describe, expect, it } from "vitest";
import type { AttributeRow } from "../products/products.repo.ts";
import { Validator, type StoreRefs } from "./import.validate.ts";
import type { Candidate } from "./import.types.ts";

const brand = { id: "brd_01aaaaaaaaaaaaaaaaaaaaaaaa", name: "Northpeak" };
const jackets = { id: "cat_01aaaaaaaaaaaaaaaaaaaaaaaa", name: "Jackets" };
const attr = (code: string, type: AttributeRow["type"], values: string[] = []): AttributeRow => ({ id: `attr_${code}`, code, name: code, type, values, filterable: true, createdAt: new Date() });
const refs: StoreRefs = {
  brands: new Map([
    ["northpeak", brand],
    [brand.id, brand],
  ]),
  categories: new Map([
    ["jackets", jackets],
    [jackets.id, jackets],
  ]),
  attributes: new Map([
    ["material", attr("material", "select", ["nylon", "wool"])],
    ["weight", attr("weight", "number")],
  ]),
};

let row = 0;
function json(value: unknown): Candidate {
  const at = row++;
  return { row: at, rows: 1, value, errors: [], locate: (path) => ({ row: at, field: path.map(String).join(".") || "(item)" }) };
}
const product = (over: Record<string, unknown> = {}) => ({
  slug: `p-${row}`,
  name: "Product",
  currency: "USD",
  variants: [{ sku: `SKU-${row}`, price: 100 }],
  ...over,
});

describe("import validator", () => {
  it("accepts a product and resolves its brand and categories by slug or id", () => {
    const v = new Validator(refs, {});
    const r = v.check(json(product({ brand: "northpeak", categories: ["jackets", jackets.id], attributes: { material: "wool", weight: 1.5 } })));
    expect(r.ok && r.valid).toMatchObject({ brandId: brand.id, categoryIds: [jackets.id], taxonomyNames: ["Northpeak", "Jackets", "Jackets"] });
  });

  it("names the field of every problem: schema, references, typed attributes, NUL", () => {
    const v = new Validator(refs, {});
    const r = v.check(
      json(product({ brand: "nobody", categories: ["jackets", "nowhere"], attributes: { material: "steel", weight: "heavy", colour: "red" }, description: "a\u0000b" })),
    );
    expect(r.ok ? [] : r.errors.map((e) => e.field)).toEqual(["description", "brand", "categories.1", "attributes.material", "attributes.weight", "attributes.colour"]);
    const broken = v.check(json(product({ images: [{ url: "/a.jpg", alt: "half \ud800 pair" }] })));
    expect(broken.ok ? [] : broken.errors.map((e) => e.field)).toEqual(["images.0.alt"]);
    const bad = v.check(json(product({ variants: [{ sku: "X", price: -1 }], description: "d".repeat(10_001), currency: "usd" })));
    expect(bad.ok ? [] : bad.errors.map((e) => e.field).sort()).toEqual(["currency", "description", "variants.0.price"]);
  });

  it("refuses a slug or SKU the file already used, pointing at the first use", () => {
    const v = new Validator(refs, {});
    const first = json(product({ slug: "same", variants: [{ sku: "S-1", price: 1 }] }));
    expect(v.check(first).ok).toBe(true);
    const sizes = { options: [{ name: "size", values: ["S", "M"] }] };
    const again = v.check(json(product({ slug: "same", ...sizes, variants: [{ sku: "S-2", options: { size: "S" }, price: 1 }, { sku: "S-1", options: { size: "M" }, price: 1 }] })));
    expect(again.ok ? [] : again.errors).toEqual([
      { row: first.row + 1, field: "slug", message: expect.stringContaining(`(row ${first.row})`) },
      { row: first.row + 1, field: "variants.1.sku", message: expect.stringContaining(`first at row ${first.row}`) },
    ]);
  });

  it("fills in the import's currency and keeps a reader's error over the schema's at the same place", () => {
    const v = new Validator(refs, { defaultCurrency: "EUR" });
    const ok = v.check(json({ slug: "no-currency", name: "N", variants: [{ sku: "NC", price: 5 }] }));
    expect(ok.ok && ok.valid.product.currency).toBe("EUR");
    const c = json({ slug: "typed", name: "T", variants: [{ sku: "T-1" }] });
    c.errors.push({ row: c.row, field: "variants.0.price", message: '"abc" is not a whole number' });
    const r = v.check(c);
    expect(r.ok ? [] : r.errors).toEqual([{ row: c.row, field: "variants.0.price", message: '"abc" is not a whole number' }]);
  });
});
