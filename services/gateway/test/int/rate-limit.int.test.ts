import { afterAll, describe, expect, it } from "vitest";
import { Redis } from "ioredis";
import { RateLimiter } from "../../src/rate-limit/limiter.ts";

const url = process.env.TEST_REDIS_URL;
if (!url) console.log("[rate-limit] skipping the real-Redis suite: TEST_REDIS_URL is not set (CI sets it when Redis answers)");

describe.skipIf(!url)("RateLimiter on a real Redis", () => {
  const redis = new Redis(url ?? "redis://127.0.0.1:6379");
  afterAll(() => redis.quit());

  it("counts concurrent requests exactly and expires the window's key", async () => {
    const subject = `test-${Date.now()}-${Math.random().toString(36).slice(2)}`;
    const limiter = new RateLimiter(redis, [{ scope: "ip", limit: 50, windowMs: 60_000 }]);
    const verdicts = await Promise.all(Array.from({ length: 80 }, () => limiter.check({ ip: subject })));
    expect(verdicts.filter((v) => v.ok)).toHaveLength(50);
    expect(verdicts.filter((v) => !v.ok)).toHaveLength(30);
    const keys = await redis.keys(`rl:ip:${subject}:*`);
    expect(keys).toHaveLength(1);
    expect(await redis.pttl(keys[0]!)).toBeGreaterThan(60_000);
  });
});
