import { describe, expect, it } from "vitest";
import { parseSearchQuery, searchQuery, type SearchParams } from "./search-query.ts";

describe("searchQuery", () => {
  it("writes every parameter in a fixed order, attr.<code> per attribute", () => {
    const qs = searchQuery({
      facets: false,
      cursor: "c1",
      limit: 24,
      sort: "price_asc",
      inStock: true,
      attributes: { size: ["M", "L"], colour: ["red"] },
      maxPrice: 4999,
      minPrice: 2500,
      brand: ["acme", "volt"],
      category: "jackets",
      q: "  rain jacket ",
    }).toString();
    expect(qs).toBe(
      "q=rain+jacket&category=jackets&brand=acme%2Cvolt&minPrice=2500&maxPrice=4999&attr.colour=red&attr.size=M%2CL&inStock=true&sort=price_asc&limit=24&cursor=c1&facets=false",
    );
  });

  it("leaves out empty values and deduplicates lists", () => {
    expect(searchQuery({}).toString()).toBe("");
    expect(searchQuery({ q: "  ", brand: [], attributes: { size: [] }, cursor: null }).toString()).toBe("");
    expect(searchQuery({ brand: ["a", " a", "b", ""] }).get("brand")).toBe("a,b");
    expect(searchQuery({ attributes: { size: ["M", "M "] } }).get("attr.size")).toBe("M");
  });

  it("keeps zero prices and false flags", () => {
    expect(searchQuery({ minPrice: 0, inStock: false, facets: false }).toString()).toBe("minPrice=0&inStock=false&facets=false");
  });

  it("refuses what the API would misread", () => {
    expect(() => searchQuery({ minPrice: 12.5 })).toThrow(RangeError);
    expect(() => searchQuery({ maxPrice: -1 })).toThrow(/integer minor units/);
    expect(() => searchQuery({ attributes: { "Bad-Code": ["x"] } })).toThrow(/attribute code/);
    expect(() => searchQuery({ attributes: { size: ["M,L"] } })).toThrow(/comma/);
    expect(() => searchQuery({ brand: ["a,b"] })).toThrow(/comma/);
  });

  it("encodes values that need it", () => {
    const qs = searchQuery({ q: "50% off & more", attributes: { fit: ["slim/tapered"] } });
    expect(new URLSearchParams(qs.toString()).get("q")).toBe("50% off & more");
    expect(qs.toString()).toContain("attr.fit=slim%2Ftapered");
  });
});

describe("parseSearchQuery", () => {
  it("reads what searchQuery writes", () => {
    const params: SearchParams = {
      q: "rain jacket",
      category: "jackets",
      brand: ["acme", "volt"],
      minPrice: 0,
      maxPrice: 4999,
      attributes: { colour: ["red"], size: ["M", "L"] },
      inStock: true,
      sort: "newest",
      limit: 24,
      cursor: "abc",
      facets: true,
    };
    expect(parseSearchQuery(searchQuery(params))).toEqual(params);
    expect(parseSearchQuery(searchQuery(params).toString())).toEqual(params);
  });

  it("takes Next.js searchParams objects, repeated keys adding up", () => {
    expect(parseSearchQuery({ brand: ["a", "b,c"], "attr.size": ["M", "L"], q: undefined, sort: "name" })).toEqual({
      brand: ["a", "b", "c"],
      attributes: { size: ["M", "L"] },
      sort: "name",
    });
  });

  it("drops what is invalid instead of failing", () => {
    expect(
      parseSearchQuery("minPrice=-5&maxPrice=1.5&sort=cheapest&limit=1000&inStock=maybe&attr.Bad=x&attr.ok=&attr.=y&q=%20%20&category=&brand=,,"),
    ).toEqual({});
    expect(parseSearchQuery("limit=0")).toEqual({});
    expect(parseSearchQuery("inStock=1&facets=0")).toEqual({ inStock: true, facets: false });
  });

  it("ignores parameters it does not know", () => {
    expect(parseSearchQuery("page=2&utm_source=mail&q=tee")).toEqual({ q: "tee" });
  });
});
