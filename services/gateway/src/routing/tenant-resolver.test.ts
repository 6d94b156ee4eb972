import { describe, expect, it } from "vitest";
import type { TenantResolution } from "@bazaar/contracts";
import { UpstreamError, type ServiceClient } from "@bazaar/service-kit/clients";
import { AppError } from "@bazaar/service-kit/errors";
import { TenantResolver } from "./tenant-resolver.ts";

const ACME: TenantResolution = { id: "ten_01jd5m3x4s9t2v8w0y1z2a3b4c", slug: "acme", name: "Acme", currency: "USD", status: "active" };

function fakeClient(answer: (query: unknown) => TenantResolution | Error) {
  const calls: { path: string; query: unknown }[] = [];
  const client = {
    async call(path: string, o: { query?: unknown } = {}) {
      calls.push({ path, query: o.query });
      const a = answer(o.query);
      if (a instanceof Error) throw a;
      return a;
    },
  } as unknown as ServiceClient;
  return { client, calls };
}

function resolver(answer: (query: unknown) => TenantResolution | Error = () => ACME, ttlMs?: number) {
  const { client, calls } = fakeClient(answer);
  return { r: new TenantResolver({ tenantClient: client, storeDomains: ["localhost", "bazaar.dev"], ...(ttlMs !== undefined ? { ttlMs } : {}) }), calls };
}

function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  return undefined;
}

describe("TenantResolver.identify", () => {
  const { r } = resolver();

  it("prefers the X-Tenant slug over the host", () => {
    expect(r.identify({ tenant: "acme", host: "other.localhost" })).toEqual({ slug: "acme" });
  });

  it.each([
    ["acme.localhost:3000", { slug: "acme" }],
    ["ACME.localhost", { slug: "acme" }],
    ["my-shop.bazaar.dev", { slug: "my-shop" }],
    ["shop.example.com", { host: "shop.example.com" }],
    ["Shop.Example.com:443", { host: "shop.example.com" }],
  ])("reads host %s as %j", (host, expected) => {
    expect(r.identify({ host })).toEqual(expected);
  });

  it.each(["localhost", "localhost:3000", "bazaar.dev", "127.0.0.1:3000", "[::1]:3000", "", "bad_host!"])("names no store for host %j", (host) => {
    expect(r.identify({ host })).toBeUndefined();
  });

  it("names no store without headers", () => {
    expect(r.identify({})).toBeUndefined();
  });

  it.each([
    { tenant: "../etc" },
    { tenant: "ACME" },
    { tenant: "acme'--" },
    { tenant: "-acme" },
    { tenant: "a" },
    { tenant: "x".repeat(41) },
    { host: "-acme.localhost" },
    { host: "a.b.localhost" },
    { host: "acme-.bazaar.dev" },
  ])("throws AppError invalid_tenant for %j", (headers) => {
    const err = thrownBy(() => r.identify(headers));
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("invalid_tenant");
  });
});

describe("TenantResolver.resolve", () => {
  it("asks the tenant service and caches the answer", async () => {
    const { r, calls } = resolver();
    expect(await r.resolve({ slug: "acme" })).toEqual(ACME);
    expect(await r.resolve({ slug: "acme" })).toEqual(ACME);
    expect(calls).toEqual([{ path: "/internal/tenants/resolve", query: { slug: "acme" } }]);
  });

  it("caches slugs and hosts separately", async () => {
    const { r, calls } = resolver();
    await r.resolve({ slug: "acme" });
    await r.resolve({ host: "acme" });
    await r.resolve({ host: "acme" });
    expect(calls.map((c) => c.query)).toEqual([{ slug: "acme" }, { host: "acme" }]);
  });

  it("turns a 404 into AppError tenant_not_found and caches that too", async () => {
    const { r, calls } = resolver(() => new UpstreamError("tenant", 404, undefined));
    for (let i = 0; i < 2; i++) {
      const err = await r.resolve({ slug: "ghost" }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe("tenant_not_found");
      expect((err as AppError).status).toBe(404);
    }
    expect(calls).toHaveLength(1);
  });

  it("does not cache other upstream failures", async () => {
    const { r, calls } = resolver(() => new UpstreamError("tenant", 503, undefined));
    await expect(r.resolve({ slug: "acme" })).rejects.toBeInstanceOf(UpstreamError);
    await expect(r.resolve({ slug: "acme" })).rejects.toBeInstanceOf(UpstreamError);
    expect(calls).toHaveLength(2);
  });

  it("asks again once the entry is older than the TTL", async () => {
    const { r, calls } = resolver(() => ACME, 0);
    await r.resolve({ slug: "acme" });
    await r.resolve({ slug: "acme" });
    expect(calls).toHaveLength(2);
  });

  it("asks again after invalidate()", async () => {
    const { r, calls } = resolver();
    await r.resolve({ slug: "acme" });
    r.invalidate();
    await r.resolve({ slug: "acme" });
    expect(calls).toHaveLength(2);
  });
});
