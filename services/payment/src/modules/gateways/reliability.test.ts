import { describe, expect, it } from "vitest";
import { GatewayError } from "./gateway.ts";
import { backoffDelay, callProvider, CircuitBreaker, type AttemptRecord, type RetryOptions } from "./reliability.ts";

const retry = (over: Partial<RetryOptions> = {}): RetryOptions => ({ attempts: 3, baseDelayMs: 100, maxDelayMs: 1_000, timeoutMs: 1_000, sleep: async () => {}, random: () => 0.5, ...over });

function harness(over: Partial<RetryOptions> = {}, breaker = new CircuitBreaker({ threshold: 5, cooldownMs: 1_000 })) {
  const attempts: AttemptRecord[] = [];
  return { attempts, breaker, deps: { breaker, retry: retry(over), record: (a: AttemptRecord) => attempts.push(a) } };
}

describe("backoff", () => {
  it("grows exponentially with full jitter and stays under the cap", () => {
    const o = { baseDelayMs: 100, maxDelayMs: 1_000 };
    expect([0, 1, 2, 3, 4].map((n) => backoffDelay(n, o, () => 0.999))).toEqual([99, 199, 399, 799, 999]);
    expect(backoffDelay(3, o, () => 0)).toBe(0);
  });
});

describe("callProvider", () => {
  it("retries a provider that times out, then reports it failed", async () => {
    const delays: number[] = [];
    const h = harness({ timeoutMs: 20, sleep: async (ms) => void delays.push(ms) });
    let calls = 0;
    const hang = () => {
      calls += 1;
      return new Promise<never>(() => {});
    };
    await expect(callProvider(hang, h.deps)).rejects.toMatchObject({ kind: "transient", code: "timeout" });
    expect(calls).toBe(3);
    expect(h.attempts.map((a) => a.outcome)).toEqual(["transient", "transient", "transient"]);
    expect(delays).toEqual([50, 100]); // base * 2^n * jitter(0.5)
  });

  it("succeeds on a later attempt after transient failures", async () => {
    const h = harness();
    let calls = 0;
    const flaky = async () => {
      if (++calls < 3) throw new TypeError("fetch failed");
      return "ok";
    };
    await expect(callProvider(flaky, h.deps)).resolves.toBe("ok");
    expect(h.attempts.map((a) => a.outcome)).toEqual(["transient", "transient", "ok"]);
  });

  it("never retries a permanent error (and a decline is an answer, returned once)", async () => {
    const h = harness();
    let calls = 0;
    await expect(callProvider(async () => {
      calls += 1;
      throw new GatewayError("permanent", "invalid_request", "bad key");
    }, h.deps)).rejects.toMatchObject({ code: "invalid_request" });
    expect(calls).toBe(1);
    calls = 0;
    await expect(callProvider(async () => {
      calls += 1;
      return { status: "failed", failureCode: "card_declined" };
    }, h.deps)).resolves.toMatchObject({ failureCode: "card_declined" });
    expect(calls).toBe(1);
    expect(h.breaker.state).toBe("closed");
  });
});

describe("CircuitBreaker", () => {
  it("opens after the threshold, fails fast, lets one trial through after the cooldown", async () => {
    let now = 0;
    const breaker = new CircuitBreaker({ threshold: 3, cooldownMs: 1_000, now: () => now });
    const h = harness({ attempts: 3 }, breaker);
    let calls = 0;
    const down = async () => {
      calls += 1;
      throw new GatewayError("transient", "http_503", "down");
    };
    await expect(callProvider(down, h.deps)).rejects.toMatchObject({ code: "http_503" });
    expect(breaker.state).toBe("open");
    await expect(callProvider(down, h.deps)).rejects.toMatchObject({ code: "circuit_open" });
    expect(calls).toBe(3);
    now = 1_000;
    expect(breaker.state).toBe("half_open");
    expect(breaker.allow()).toBe(true);
    expect(breaker.allow()).toBe(false); // one trial at a time
    breaker.failure();
    expect(breaker.state).toBe("open");
    now = 2_000;
    await expect(callProvider(async () => "back", h.deps)).resolves.toBe("back");
    expect(breaker.state).toBe("closed");
  });
});
