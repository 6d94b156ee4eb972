import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { productsToCsv } from "../../../../services/catalog/src/modules/import/import.csv-write.ts";
import { ADMIN, testPlatform } from "./harness.ts";

/**
 * Bulk import through the gateway: an import body may be far larger than the 1 MiB every other route
 * keeps, and passes through as a stream; a normal product POST with a 10 MB description is still a
 * 413 problem, and the same description inside an import is a 422 naming its row and field.
 */
describe("bulk import through the gateway", () => {
  let p: Awaited<ReturnType<typeof testPlatform>>;
  const upload = (body: string | ReadableStream<Uint8Array>, contentType: string) =>
    p.gateway.app.request("/api/v1/admin/imports", {
      method: "POST",
      headers: { authorization: `Bearer ${ADMIN}`, "x-tenant": "import-gw", "content-type": contentType },
      body,
      duplex: "half",
    } as RequestInit);

  beforeAll(async () => {
    p = await testPlatform();
    const res = await p.api("/api/v1/platform/tenants", {
      method: "POST",
      admin: true,
      body: JSON.stringify({ slug: "import-gw", name: "Import GW", ownerEmail: "owner@import-gw.test", plan: "starter", currency: "USD" }),
    });
    expect(res.status).toBe(201);
  });
  afterAll(() => p?.stop());

  it("streams a multi-megabyte CSV through to the catalog and imports it", async () => {
    const items = Array.from({ length: 3000 }, (_, i) => ({
      slug: `gw-${i}`,
      name: `Gateway Item ${i}`,
      description: "A product that came in through the gateway. ".repeat(20),
      currency: "USD",
      variants: [{ sku: `GW-${i}`, price: 500 + i, stock: 1 }],
    }));
    const csv = productsToCsv(items);
    expect(csv.length).toBeGreaterThan(2 * 1024 * 1024);
    const bytes = new TextEncoder().encode(csv);
    let at = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (at >= bytes.length) return controller.close();
        controller.enqueue(bytes.subarray(at, (at += 64 * 1024)));
      },
    });
    const res = await upload(stream, "text/csv");
    const job = await res.json();
    expect(res.status, JSON.stringify(job).slice(0, 300)).toBe(201);
    expect(job).toMatchObject({ status: "completed", counts: { rows: 3000, created: 3000 }, bytes: bytes.length });
    const read = await p.api("/api/v1/admin/products/gw-2999", { admin: true, tenant: "import-gw" });
    expect((await read.json()).price).toEqual({ amount: 3499, currency: "USD" });
  });

  it("keeps 1 MiB for a product POST: a 10 MB description is a 413 problem; inside an import it is a 422 with row and field", async () => {
    const description = "d".repeat(10 * 1024 * 1024);
    const post = await p.api("/api/v1/admin/products", { method: "POST", admin: true, tenant: "import-gw", body: JSON.stringify({ name: "Huge", currency: "USD", price: 1, description }) });
    expect(post.status).toBe(413);
    expect(post.headers.get("content-type")).toBe("application/problem+json");
    const res = await upload(JSON.stringify([{ slug: "huge", name: "Huge", currency: "USD", description, variants: [{ sku: "HUGE", price: 1 }] }]), "application/json");
    expect(res.status).toBe(422);
    const problem = (await res.json()) as { errors: unknown[] };
    expect(problem.errors).toEqual([expect.objectContaining({ row: 0, field: "description", path: "0.description" })]);
    expect((await p.api("/api/v1/admin/products/huge", { admin: true, tenant: "import-gw" })).status).toBe(404);
  });
});
