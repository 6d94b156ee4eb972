import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestStore } from "@bazaar/service-kit/testing";
import { ACCESS } from "../../src/access.ts";
import { startNotification, type Harness } from "./harness.ts";

const BODIES: unknown[] = [undefined, null, 0, "text", [], {}, { a: 1 }, [{}], { channels: "all" }, { email: { subject: 1 } }, { secrets: { other: "x" } }, { endpoint: "https://x", keys: {} }, { channel: "push", optIn: "yes" }, { name: "x".repeat(10_000), channels: ["email", "fax"] }];
const PARAMS = ["order_paid", "nope", "dlv_00000000000000000000000000", "%20", "..", "x".repeat(300)];
const QUERIES = ["", "?limit=0", "?limit=abc", "?cursor=zzz", "?status=dead&channel=fax", "?token=", "?token=a.b", `?token=${"a".repeat(3000)}`, "?to=%00"];

/** Every route of the service, with malformed bodies, params and queries: a 4xx problem, never a 500. */
describe("malformed input", () => {
  let h: Harness;
  let store: TestStore;
  beforeAll(async () => {
    h = await startNotification();
    store = await h.t.provision("malformed");
  });
  afterAll(() => h?.stop());

  it("never answers 500", async () => {
    const failures: string[] = [];
    for (const route of Object.keys(ACCESS)) {
      const [method, template] = route.split(" ") as [string, string];
      for (const param of template.includes("{") ? PARAMS : [""]) {
        const path = template.replace(/\{[^}]+\}/g, encodeURIComponent(param));
        for (const query of QUERIES) {
          for (const body of method === "GET" ? [undefined] : BODIES) {
            for (const roles of [["owner"] as const, ["shopper"] as const, null]) {
              const res = await h.t.call(store, method, `${path}${query}`, body, roles ? [...roles] : null);
              if (res.status >= 500) failures.push(`${method} ${path}${query} ${JSON.stringify(body)?.slice(0, 60)} -> ${res.status}`);
            }
          }
        }
      }
    }
    expect(failures).toEqual([]);
  });
});
