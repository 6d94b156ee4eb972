import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_CARDS } from "../../src/app.ts";
import { startPayment, type PaymentHarness, type Store } from "./harness.ts";

/**
 * In production (`testGatewayByDefault: false`, as main.ts sets under NODE_ENV=production) the
 * built-in test gateway takes no payment and accepts no webhook until the store enables it, and
 * then only webhooks signed with the store's own secret.
 */
describe("the test gateway in production", () => {
  let h: PaymentHarness;
  let store: Store;
  const pay = (key: string) => ({ orderId: `ord_${key}`, amount: 2_500, currency: "USD", method: { provider: "test", card: TEST_CARDS.success }, idempotencyKey: `idem-${key}` });
  const signed = (body: string, secret: string) => ({ "x-test-signature": createHmac("sha256", secret).update(body).digest("hex") });

  beforeAll(async () => {
    h = await startPayment({ testGatewayByDefault: false });
    store = await h.provision("prod-pay");
  });
  afterAll(() => h?.stop());

  it("refuses payments and `test`-signed webhooks until the store enables it with its own secret", async () => {
    const gateways = await h.call<{ items: { provider: string; enabled: boolean }[] }>(store, "GET", "/api/v1/admin/payment-gateways");
    expect(gateways.body.items.find((g) => g.provider === "test")).toMatchObject({ enabled: false });
    const refused = await h.internal(store, "/internal/payments", pay("prod-1"));
    expect(refused.status).toBe(409);
    const body = JSON.stringify({ id: "evt_prod_1", type: "payment.succeeded", ref: "test_1", status: "succeeded" });
    expect((await h.webhook("/webhooks/test/prod-pay", body, signed(body, "test"))).status).toBe(400);

    const enabled = await h.call(store, "PUT", "/api/v1/admin/payment-gateways/test", { enabled: true, secrets: { webhookSecret: "whsec_prod_0001" } });
    expect(enabled.status, JSON.stringify(enabled.body)).toBe(200);
    expect((await h.internal(store, "/internal/payments", pay("prod-2"))).status).toBe(200);
    expect((await h.webhook("/webhooks/test/prod-pay", body, signed(body, "test"))).status).toBe(400);
    expect((await h.webhook("/webhooks/test/prod-pay", body, signed(body, "whsec_prod_0001"))).status).toBe(200);
  });
});
