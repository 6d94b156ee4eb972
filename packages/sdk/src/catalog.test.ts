import type * as contracts from "@bazaar/contracts";
import { describe, expectTypeOf, it } from "vitest";
import type { Brand, CategoryNode, Product, ProductSummary, SearchResult, Suggestion } from "./catalog.ts";

/** What a contract schema parses to (the response as the API sends it). */
type Out<S extends { parse: (data: unknown) => unknown }> = ReturnType<S["parse"]>;

// The SDK's hand-written types must stay the contract's response types: `tsc` (the package's
// typecheck) fails here when one of them drifts.
describe("catalog types", () => {
  it("are the contract's response types", () => {
    expectTypeOf<Product>().toEqualTypeOf<Out<typeof contracts.Product>>();
    expectTypeOf<ProductSummary>().toEqualTypeOf<Out<typeof contracts.ProductSummary>>();
    expectTypeOf<SearchResult>().toEqualTypeOf<Out<typeof contracts.SearchResult>>();
    expectTypeOf<Suggestion>().toEqualTypeOf<Out<typeof contracts.Suggestion>>();
    expectTypeOf<Brand>().toEqualTypeOf<Out<typeof contracts.Brand>>();
    expectTypeOf<CategoryNode>().toEqualTypeOf<contracts.CategoryNode>();
  });
});
