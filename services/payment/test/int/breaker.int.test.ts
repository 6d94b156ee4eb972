import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Payment, PaymentDetail } from "@bazaar/contracts";
import { TestGateway } from "../../src/app.ts";
import { GatewayError } from "../../src/modules/gateways/gateway.ts";
import { startPayment, type PaymentHarness, type Store } from "./harness.ts";

/** A test gateway whose provider has gone away: every call times out or resets. */
class DownGateway extends TestGateway {
  calls = 0;
  override async createPayment(): Promise<never> {
    this.calls += 1;
    throw new GatewayError("transient", "timeout", "No answer within 10000 ms.");
  }
}

describe("a provider that is down", () => {
  let h: PaymentHarness;
  let store: Store;
  const gateway = new DownGateway();
  beforeAll(async () => {
    h = await startPayment({ gateways: [gateway], retry: { baseDelayMs: 1, maxDelayMs: 2 }, breaker: { threshold: 3, cooldownMs: 60_000 } });
    store = await h.provision("pay-down");
  });
  afterAll(() => h?.stop());

  const take = (key: string) => h.internal<Payment>(store, "/internal/payments", { orderId: `ord_${key}`, amount: 100, currency: "USD", method: { provider: "test", card: "4242424242424242" }, idempotencyKey: `down-key-${key}` });

  it("is retried, then the payment fails; then the breaker opens and calls stop reaching it", async () => {
    const first = await take("1");
    expect(first.body).toMatchObject({ status: "failed", failureCode: "timeout" });
    expect(gateway.calls).toBe(3);
    const second = await take("2");
    expect(second.body).toMatchObject({ status: "failed", failureCode: "circuit_open" });
    expect(gateway.calls).toBe(3);
    const detail = await h.call<PaymentDetail>(store, "GET", `/api/v1/admin/payments/${second.body.id}`);
    expect(detail.body.attempts.map((a) => a.outcome)).toEqual(["circuit_open"]);
    expect(h.service.payments.breaker("test").state).toBe("open");
  });
});
