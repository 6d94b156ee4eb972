import { describe, expect, it } from "vitest";
import { BazaarApiError, createBazaarClient } from "./index.ts";

/** A client whose fetch records the request and answers `body` with `status`. */
function recording(body: unknown, status = 200) {
  const calls: { url: URL; headers: Record<string, string>; signal: AbortSignal | undefined }[] = [];
  const fetch = (async (input: URL, init: RequestInit = {}) => {
    calls.push({ url: new URL(input), headers: init.headers as Record<string, string>, signal: init.signal ?? undefined });
    return new Response(JSON.stringify(body), { status, headers: { "content-type": status < 400 ? "application/json" : "application/problem+json" } });
  }) as typeof globalThis.fetch;
  return { calls, fetch };
}

const emptySearch = { items: [], nextCursor: null, total: 0, facets: null, corrections: [] };

describe("createBazaarClient", () => {
  it("searches with the filters as query parameters, attr.<code> included", async () => {
    const { calls, fetch } = recording(emptySearch);
    const api = createBazaarClient({ baseUrl: "http://gw:8080/", tenant: "acme", fetch });
    const result = await api.products({ q: "tee", brand: ["acme"], attributes: { size: ["M", "L"] }, minPrice: 1000, sort: "price_asc", limit: 24 });
    expect(result).toEqual(emptySearch);
    const call = calls[0]!;
    expect(call.url.origin + call.url.pathname).toBe("http://gw:8080/api/v1/products");
    expect(Object.fromEntries(call.url.searchParams)).toEqual({ q: "tee", brand: "acme", "attr.size": "M,L", minPrice: "1000", sort: "price_asc", limit: "24" });
    expect(call.headers["x-tenant"]).toBe("acme");
  });

  it("asks for a product by slug, escaped", async () => {
    const { calls, fetch } = recording({});
    await createBazaarClient({ baseUrl: "http://gw", fetch }).product("a b/c");
    expect(calls[0]!.url.pathname).toBe("/api/v1/products/a%20b%2Fc");
  });

  it("suggests, lists categories and brands, pages tenants", async () => {
    const { calls, fetch } = recording({ items: [] });
    const api = createBazaarClient({ baseUrl: "http://gw", token: "t0k", fetch });
    await api.suggest("ja", { limit: 5 });
    await api.categories();
    await api.brands();
    await api.platformTenants({ limit: 100, cursor: null });
    expect(calls.map((c) => c.url.pathname + c.url.search)).toEqual([
      "/api/v1/search/suggest?q=ja&limit=5",
      "/api/v1/categories",
      "/api/v1/brands",
      "/api/v1/platform/tenants?limit=100",
    ]);
    expect(calls[0]!.headers.authorization).toBe("Bearer t0k");
  });

  it("passes a caller's abort signal along with its own timeout", async () => {
    const { calls, fetch } = recording({ items: [] });
    const controller = new AbortController();
    await createBazaarClient({ baseUrl: "http://gw", fetch, timeoutMs: 5_000 }).suggest("ja", { signal: controller.signal });
    const signal = calls[0]!.signal!;
    expect(signal.aborted).toBe(false);
    controller.abort();
    expect(signal.aborted).toBe(true);
  });

  it("turns a problem answer into a BazaarApiError", async () => {
    const { fetch } = recording({ type: "https://bazaar.dev/errors/not_found", title: "Not found", status: 404, code: "not_found", detail: "No product nope." }, 404);
    const err = await createBazaarClient({ baseUrl: "http://gw", fetch })
      .product("nope")
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BazaarApiError);
    expect(err).toMatchObject({ status: 404, code: "not_found", message: "Not found: No product nope." });
  });
});
