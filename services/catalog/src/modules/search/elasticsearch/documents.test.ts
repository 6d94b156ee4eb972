import { describe, expect, it } from "vitest";
import { toDocument } from "./documents.ts";
import { MAPPINGS } from "./mapping.ts";

const row = {
  id: "prod_01",
  slug: "trail-boot",
  name: "Trail Boot",
  description: "Light and waterproof.",
  price_amount: 12_900,
  currency: "USD",
  status: "active" as const,
  in_stock: true,
  created_at: "2026-01-02T03:04:05.123456+00:00",
  image: { url: "/media/boot.jpg", alt: "A boot" },
  brand_id: "brd_1",
  brand_slug: "northpeak",
  brand_name: "Northpeak",
  categories: [
    { id: "cat_hiking", slug: "hiking", name: "Hiking", direct: false },
    { id: "cat_outdoor", slug: "outdoor", name: "Outdoor", direct: false },
    { id: "cat_trail", slug: "trail", name: "Trail Gear", direct: true },
  ],
  attrs: [
    { code: "care", text: "hand wash", type: "string", name: "Care", filterable: false },
    { code: "colour", text: "red", type: "string", name: "Colour", filterable: true },
    { code: "legacy", text: "x", type: "string", name: null, filterable: false },
    { code: "waterproof", text: "true", type: "boolean", name: "Waterproof", filterable: true },
    { code: "weight", text: "1.50", type: "number", name: "Weight", filterable: true },
  ],
};

describe("toDocument", () => {
  it("fills exactly the fields the strict mapping declares", () => {
    expect(Object.keys(toDocument(row)).sort()).toEqual(Object.keys(MAPPINGS.properties!).sort());
  });

  it("carries ancestor categories for filters and facets, but only own category names as text", () => {
    const d = toDocument(row);
    expect(d.category_ids).toEqual(["cat_hiking", "cat_outdoor", "cat_trail"]);
    expect(d.category_slugs).toEqual(["hiking", "outdoor", "trail"]);
    expect(d.category_names).toEqual(["Trail Gear"]);
    expect(d.category_facets.map((f) => JSON.parse(f))).toEqual([
      ["hiking", "Hiking"],
      ["outdoor", "Outdoor"],
      ["trail", "Trail Gear"],
    ]);
  });

  it("keeps attributes in their Postgres text form; only string values are searched, only filterable ones faceted", () => {
    const d = toDocument(row);
    expect(d.attr).toEqual({ care: "hand wash", colour: "red", legacy: "x", waterproof: "true", weight: "1.50" });
    expect(d.attr_text).toEqual(["hand wash", "red", "x"]);
    expect(d.attr_facets.map((f) => JSON.parse(f))).toEqual([
      ["colour", "Colour", "red"],
      ["waterproof", "Waterproof", "true"],
      ["weight", "Weight", "1.50"],
    ]);
  });

  it("has the summary fields, the brand facet and the typo vocabulary (name, brand, own categories)", () => {
    const d = toDocument(row);
    expect(d).toMatchObject({
      id: "prod_01",
      price_amount: 12_900,
      currency: "USD",
      created_at: "2026-01-02T03:04:05.123Z",
      image: { url: "/media/boot.jpg", alt: "A boot" },
      brand_id: "brd_1",
      brand_slug: "northpeak",
      brand_facet: JSON.stringify(["northpeak", "Northpeak"]),
    });
    expect(d.words.sort()).toEqual(["boot", "gear", "northpeak", "trail"]);
    const plain = toDocument({ ...row, brand_id: null, brand_slug: null, brand_name: null, image: null, categories: [], attrs: [] });
    expect(plain).toMatchObject({ brand_facet: null, image: null, category_ids: [], attr: {}, attr_facets: [] });
  });
});
