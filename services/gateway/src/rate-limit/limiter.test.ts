import { describe, expect, it } from "vitest";
import RedisMock from "ioredis-mock";
import { createService } from "../app.ts";
import { createLogger } from "@bazaar/service-kit/logging";
import { RateLimiter } from "./limiter.ts";

describe("RateLimiter (in-process Redis emulation)", () => {
  it("allows `limit` requests per window per subject, then answers with the seconds until the window ends", async () => {
    let now = 60_000 * 100 + 45_000; // 45 s into a minute window
    const limiter = new RateLimiter(new RedisMock(), [{ scope: "ip", limit: 3, windowMs: 60_000 }], () => now);
    for (let i = 0; i < 3; i++) expect(await limiter.check({ ip: "10.0.0.1" })).toEqual({ ok: true });
    expect(await limiter.check({ ip: "10.0.0.1" })).toEqual({ ok: false, scope: "ip", limit: 3, retryAfterS: 15 });
    expect(await limiter.check({ ip: "10.0.0.2" })).toEqual({ ok: true });
    now += 15_000; // next window
    expect(await limiter.check({ ip: "10.0.0.1" })).toEqual({ ok: true });
  });

  it("checks every applicable scope and ignores rules that are off or have no subject", async () => {
    const limiter = new RateLimiter(new RedisMock(), [
      { scope: "ip", limit: 0, windowMs: 1_000 },
      { scope: "token", limit: 1, windowMs: 60_000 },
      { scope: "store", limit: 100, windowMs: 60_000 },
    ]);
    expect(await limiter.check({ ip: "1.1.1.1", store: "s" })).toEqual({ ok: true });
    expect(await limiter.check({ token: "acme:acc_1", store: "s" })).toEqual({ ok: true });
    expect(await limiter.check({ token: "acme:acc_1", store: "s" })).toMatchObject({ ok: false, scope: "token" });
  });
});

describe("gateway rate limiting", () => {
  it("answers 429 problem+json with Retry-After once a store's limit is spent", async () => {
    const tenantApp = {
      fetch: async () => Response.json({ id: "ten_01jd5m3x4s9t2v8w0y1z2a3b4c", slug: "acme", name: "Acme", currency: "USD", status: "active" }),
    };
    const catalogApp = { fetch: async () => Response.json({ items: [], nextCursor: null }) };
    const gateway = createService({
      logger: createLogger({ service: "t", level: "silent" }),
      secret: "s".repeat(32),
      services: { tenant: { app: tenantApp }, catalog: { app: catalogApp } },
      rateLimit: { redis: new RedisMock(), rules: [{ scope: "store", limit: 2, windowMs: 60_000 }] },
    });
    const get = () => gateway.app.request("/api/v1/products", { headers: { "x-tenant": "acme" } });
    expect((await get()).status).toBe(200);
    expect((await get()).status).toBe(200);
    const limited = await get();
    expect(limited.status).toBe(429);
    expect(limited.headers.get("content-type")).toBe("application/problem+json");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(((await limited.json()) as { code: string }).code).toBe("rate_limited");
  });
});
