import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createService as createGateway } from "@bazaar/gateway";
import type { Product, Tenant } from "@bazaar/contracts";
import { TEST_SECRET, silentLogger } from "@bazaar/service-kit/testing";
import { ADMIN, testPlatform } from "./harness.ts";

describe("tenant isolation through the gateway", () => {
  let p: Awaited<ReturnType<typeof testPlatform>>;
  let secret: Product;
  let tenantCalls = 0;
  let catalogCalls = 0;
  let gateway: ReturnType<typeof createGateway>;

  beforeAll(async () => {
    p = await testPlatform();
    for (const slug of ["store-a", "store-b"]) {
      const res = await p.api("/api/v1/platform/tenants", {
        method: "POST",
        admin: true,
        body: JSON.stringify({ slug, name: slug, ownerEmail: `o@${slug}.test`, plan: "starter", currency: "USD" }),
      });
      expect(((await res.json()) as Tenant).status).toBe("active");
    }
    const created = await p.api("/api/v1/admin/products", {
      method: "POST",
      admin: true,
      tenant: "store-a",
      body: JSON.stringify({ name: "A's secret sauce", slug: "secret-sauce", price: 1234, currency: "USD", status: "draft" }),
    });
    expect(created.status).toBe(201);
    secret = (await created.json()) as Product;
    // A second gateway over the same services that counts what reaches the tenant and catalog services.
    const count = (name: string, bump: () => void) => ({ app: { fetch: (req: Request) => (bump(), p.services[name]!.app.fetch(req)) } });
    gateway = createGateway({
      logger: silentLogger(),
      secret: TEST_SECRET,
      adminToken: ADMIN,
      services: { tenant: count("tenant", () => tenantCalls++), catalog: count("catalog", () => catalogCalls++) },
    });
  });
  afterAll(() => p?.stop());

  it("a product of store A is invisible to store B through every route", async () => {
    const asB = (path: string) => p.api(path, { tenant: "store-b", admin: true });
    expect((await asB(`/api/v1/products/${secret.id}`)).status).toBe(404);
    expect((await asB(`/api/v1/products/secret-sauce`)).status).toBe(404);
    expect((await (await asB("/api/v1/products")).json()).items).toEqual([]);
    expect((await (await asB("/api/v1/admin/products")).json()).items).toEqual([]);
    // By host name too.
    const byHost = await p.gateway.app.request(`/api/v1/products/${secret.id}`, { headers: { host: "store-b.localhost:8080" } });
    expect(byHost.status).toBe(404);
    // Store A's staff sees it (a draft: not on the storefront).
    const asA = await (await p.api("/api/v1/admin/products", { tenant: "store-a", admin: true })).json();
    expect(asA.items.map((i: Product) => i.id)).toEqual([secret.id]);
    expect((await p.api(`/api/v1/products/${secret.id}`, { tenant: "store-a" })).status).toBe(404);
  });

  it("store B cannot write into store A by any header it controls", async () => {
    const forged = await p.gateway.app.request("/api/v1/admin/products", {
      method: "POST",
      headers: {
        "x-tenant": "store-b",
        authorization: `Bearer ${ADMIN}`,
        "content-type": "application/json",
        // Internal headers from outside are stripped and re-signed by the gateway.
        "x-bazaar-tenant-id": secret.id,
        "x-bazaar-tenant-slug": "store-a",
        "x-bazaar-tenant-sig": "forged",
      },
      body: JSON.stringify({ name: "Planted", price: 1, currency: "USD" }),
    });
    expect(forged.status).toBe(201);
    const a = await (await p.api("/api/v1/admin/products", { tenant: "store-a", admin: true })).json();
    expect(a.items.map((i: Product) => i.name)).toEqual(["A's secret sauce"]);
    // Calling a service directly with forged tenant headers is refused.
    const direct = await p.services.catalog!.app.request("/api/v1/products", {
      headers: { "x-bazaar-tenant-id": "ten_" + "0".repeat(26), "x-bazaar-tenant-slug": "store-a", "x-bazaar-tenant-sig": "forged" },
    });
    expect(direct.status).toBe(403);
  });

  const crafted = [
    "store-a'; drop table products; --",
    "store-a\"",
    "store.a",
    "../store-a",
    "..%2Fstore-a",
    "a".repeat(200),
    "störe-a",
    "店",
    "STORE-A",
    "-store",
    "store-a--' OR 1=1",
    "",
    " ",
    "store-a/../../etc",
  ];

  it.each(crafted.map((s) => [s]))("refuses crafted tenant %j with problem+json 4xx before any lookup", async (slug) => {
    const before = { tenantCalls, catalogCalls };
    // Header values are bytes on the wire: UTF-8 arrives as Latin-1 characters, as Node decodes it.
    const res = await gateway.app.request("/api/v1/products", { headers: { "x-tenant": Buffer.from(slug, "utf8").toString("latin1") } });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    const body = await res.json();
    expect(body).toMatchObject({ status: res.status, code: "invalid_tenant" });
    expect({ tenantCalls, catalogCalls }).toEqual(before);
  });

  it.each([["evil'host.localhost"], ["a..b.localhost"], ["x".repeat(300) + ".localhost"], ["store_a.localhost"]])(
    "refuses crafted host %j without reaching a service",
    async (host) => {
      const before = { tenantCalls, catalogCalls };
      const res = await gateway.app.request("/api/v1/products", { headers: { "x-forwarded-host": host } });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect({ tenantCalls, catalogCalls }).toEqual(before);
    },
  );

  it("answers an unknown store with 404 problem+json", async () => {
    const res = await p.api("/api/v1/products", { tenant: "no-such-store" });
    expect(res.status).toBe(404);
    // Every answer carries the security headers, errors included.
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(await res.json()).toMatchObject({ code: "tenant_not_found" });
  });

  it("rejects bad bodies with per-field errors and stores nothing", async () => {
    const res = await p.api("/api/v1/admin/products", {
      method: "POST",
      admin: true,
      tenant: "store-b",
      body: JSON.stringify({ name: "", price: 12.5, currency: "dollars" }),
    });
    expect(res.status).toBe(422);
    const problem = await res.json();
    expect(problem.errors.map((e: { path: string }) => e.path).sort()).toEqual(["currency", "name", "price"]);
    const list = await (await p.api("/api/v1/admin/products", { tenant: "store-b", admin: true })).json();
    expect(list.items.map((i: Product) => i.name)).toEqual(["Planted"]);
  });
});
