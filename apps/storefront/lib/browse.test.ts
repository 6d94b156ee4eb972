import { describe, expect, it } from "vitest";
import {
  browseHref,
  clearFilters,
  correctedQuery,
  hasFilters,
  isBandSelected,
  priceRangeLabel,
  readBrowseState,
  setPriceBand,
  toggleAttribute,
  toggleBrand,
  toggleInStock,
} from "./browse";
import { safePath } from "./gateway-proxy";
import { imageSrc } from "./images";

describe("browse URLs", () => {
  it("read the API's own parameter names and write them back in order", () => {
    const { params, page } = readBrowseState({ q: "jacket", brand: "b,a", "attr.size": ["M", "L"], cursor: "c2", page: "3", limit: "99" });
    expect(params).toEqual({ q: "jacket", brand: ["b", "a"], attributes: { size: ["M", "L"] }, cursor: "c2" });
    expect(page).toBe(3);
    expect(browseHref(params, page)).toBe("/?q=jacket&brand=b%2Ca&attr.size=M%2CL&cursor=c2&page=3");
    expect(browseHref({})).toBe("/");
  });

  it("has no page number without a cursor, at least 2 with one", () => {
    expect(readBrowseState({ page: "5" }).page).toBe(1);
    expect(readBrowseState({ cursor: "x" }).page).toBe(2);
    expect(readBrowseState({ cursor: "x", page: "nope" }).page).toBe(2);
  });

  it("toggle one filter at a time and go back to the first page", () => {
    const params = { q: "tee", brand: ["acme"], cursor: "c2" };
    expect(toggleBrand(params, "volt")).toEqual({ q: "tee", brand: ["acme", "volt"], cursor: undefined });
    expect(toggleBrand(params, "acme")).toEqual({ q: "tee", brand: undefined, cursor: undefined });
    const withSize = toggleAttribute({}, "size", "M");
    expect(withSize.attributes).toEqual({ size: ["M"] });
    expect(toggleAttribute(toggleAttribute(withSize, "size", "L"), "size", "M").attributes).toEqual({ size: ["L"] });
    expect(toggleAttribute(withSize, "size", "M").attributes).toBeUndefined();
    expect(toggleInStock({}).inStock).toBe(true);
    expect(toggleInStock({ inStock: true }).inStock).toBeUndefined();
  });

  it("turn a price band (max exclusive) into the API's inclusive range and back", () => {
    const band = { min: 2500, max: 5000 };
    const params = setPriceBand({ q: "x" }, band);
    expect(params).toMatchObject({ minPrice: 2500, maxPrice: 4999 });
    expect(isBandSelected(params, band)).toBe(true);
    expect(isBandSelected(params, { min: 0, max: 2500 })).toBe(false);
    expect(setPriceBand({}, { min: 0, max: 2500 })).toMatchObject({ minPrice: undefined, maxPrice: 2499 });
    expect(setPriceBand({}, { min: 100_000, max: null })).toMatchObject({ minPrice: 100_000, maxPrice: undefined });
    expect(isBandSelected({}, { min: 0, max: 2500 })).toBe(false);
  });

  it("clear every filter but keep the search and the sort", () => {
    const params = { q: "tee", sort: "price_asc" as const, category: "tops", inStock: true, minPrice: 1 };
    expect(hasFilters(params)).toBe(true);
    expect(clearFilters(params)).toEqual({ q: "tee", sort: "price_asc" });
    expect(hasFilters(clearFilters(params))).toBe(false);
  });
});

describe("labels", () => {
  it("name price bands in whole units when they are whole", () => {
    expect(priceRangeLabel(0, 2500, "USD")).toBe("Under $25");
    expect(priceRangeLabel(2500, 5000, "USD")).toBe("$25 – $50");
    expect(priceRangeLabel(100_000, null, "EUR")).toBe("€1,000 and up");
    expect(priceRangeLabel(1999, 5000, "USD")).toBe("$19.99 – $50");
  });

  it("apply the server's corrections to whole words only", () => {
    expect(correctedQuery("red jakcet", [{ from: "jakcet", to: "jacket" }])).toBe("red jacket");
    expect(correctedQuery("Jakcet jakcets", [{ from: "jakcet", to: "jacket" }])).toBe("jacket jakcets");
    expect(correctedQuery("c++ x", [{ from: "c++", to: "cpp" }])).toBe("cpp x");
  });
});

describe("images and the gateway proxy", () => {
  it("load platform media from the store's own origin, other paths from the gateway", () => {
    expect(imageSrc("/api/v1/media/demo/apparel/1.svg", "http://gw")).toBe("/api/v1/media/demo/apparel/1.svg");
    expect(imageSrc("/media/x.png", "http://gw")).toBe("http://gw/media/x.png");
    expect(imageSrc("https://cdn.example/x.png", "http://gw")).toBe("https://cdn.example/x.png");
  });

  it("never lets a proxied path climb out of its prefix", () => {
    expect(safePath(["demo", "apparel", "1 2.svg"])).toBe("demo/apparel/1%202.svg");
    expect(safePath(["..", "admin"])).toBeNull();
    expect(safePath(["demo", "a/b"])).toBeNull();
    expect(safePath(["."])).toBeNull();
    expect(safePath([])).toBeNull();
  });
});
