import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@bazaar/service-kit/errors";
import { createServiceCore, type ServiceHandle } from "@bazaar/service-kit/service";
import { schemaForTenant } from "@bazaar/service-kit/tenancy";
import type { Tenant } from "@bazaar/contracts";
import { PROVISIONED } from "../../src/topology.ts";
import { testPlatform } from "./harness.ts";

describe("tenant provisioning across services", () => {
  let p: Awaited<ReturnType<typeof testPlatform>>;
  let inventoryDown = true;

  beforeAll(async () => {
    // The inventory service fails provisioning while `inventoryDown` is set (a broken database, say).
    p = await testPlatform({
      inventory: (deps) => {
        const core = createServiceCore("inventory", deps, new URL("../../../../services/inventory/migrations/tenant", import.meta.url));
        const real = core.tenancy.provision.bind(core.tenancy);
        core.tenancy.provision = async (req) => {
          if (inventoryDown) throw new AppError("unavailable", "inventory database is down");
          return real(req);
        };
        return core.handle() satisfies ServiceHandle;
      },
    });
  });
  afterAll(() => p?.stop());

  const schemaIn = async (service: string, tenantId: string) =>
    (await p.databases[service]!.sql`select 1 from information_schema.schemata where schema_name = ${schemaForTenant(tenantId)}`).length === 1;

  it("creates the schema in every service, reports a failing one, and a retry completes it", async () => {
    inventoryDown = true;
    const body = { slug: "flaky", name: "Flaky", ownerEmail: "o@flaky.test", plan: "starter", currency: "USD" };
    const res = await p.api("/api/v1/platform/tenants", { method: "POST", admin: true, body: JSON.stringify(body) });
    expect(res.status).toBe(201);
    const t = (await res.json()) as Tenant;
    expect(t.status).toBe("failed");
    const inv = t.services.find((s) => s.service === "inventory")!;
    expect(inv).toMatchObject({ status: "failed", attempts: 1 });
    expect(inv.error).toContain("inventory database is down");
    expect(t.services.filter((s) => s.status === "ready").map((s) => s.service).sort()).toEqual(["tenant", ...PROVISIONED.filter((s) => s !== "inventory")].sort());
    expect(await schemaIn("inventory", t.id)).toBe(false);
    // A store whose provisioning failed is not served.
    expect((await p.api("/api/v1/products", { tenant: "flaky" })).status).toBe(404);

    inventoryDown = false;
    const retry = await p.api(`/api/v1/platform/tenants/${t.id}/provision`, { method: "POST", admin: true });
    const after = (await retry.json()) as Tenant;
    expect(after.status).toBe("active");
    expect(after.services.find((s) => s.service === "inventory")).toMatchObject({ status: "ready", attempts: 2, error: null });
    for (const s of ["tenant", ...PROVISIONED]) expect(await schemaIn(s, t.id)).toBe(true);
    expect((await p.api("/api/v1/products", { tenant: "flaky" })).status).toBe(200);
  });

  it("provisioning the same store again changes nothing", async () => {
    const body = { slug: "twice", name: "Twice", ownerEmail: "o@twice.test", plan: "starter", currency: "EUR" };
    const first = await p.api("/api/v1/platform/tenants", { method: "POST", admin: true, body: JSON.stringify(body) });
    expect(first.status).toBe(201);
    const t = (await first.json()) as Tenant;
    const product = await p.api("/api/v1/admin/products", { method: "POST", admin: true, tenant: "twice", body: JSON.stringify({ name: "Kept", price: 100, currency: "EUR" }) });
    expect(product.status).toBe(201);

    const again = await p.api("/api/v1/platform/tenants", { method: "POST", admin: true, body: JSON.stringify(body) });
    expect(again.status).toBe(200);
    expect(((await again.json()) as Tenant).id).toBe(t.id);
    const retry = await p.api(`/api/v1/platform/tenants/${t.id}/provision`, { method: "POST", admin: true });
    expect(((await retry.json()) as Tenant).services.every((s) => s.attempts === 1)).toBe(true);
    const list = await (await p.api("/api/v1/products", { tenant: "twice" })).json();
    expect(list.items.map((i: { name: string }) => i.name)).toEqual(["Kept"]);

    const clash = await p.api("/api/v1/platform/tenants", { method: "POST", admin: true, body: JSON.stringify({ ...body, name: "Someone else" }) });
    expect(clash.status).toBe(409);
    expect(clash.headers.get("content-type")).toBe("application/problem+json");
  });

  it("suspending a store closes it to shoppers; resuming reopens it", async () => {
    const body = { slug: "paused", name: "Paused", ownerEmail: "o@paused.test", plan: "starter", currency: "USD" };
    const t = (await (await p.api("/api/v1/platform/tenants", { method: "POST", admin: true, body: JSON.stringify(body) })).json()) as Tenant;
    await p.api(`/api/v1/platform/tenants/${t.id}`, { method: "PATCH", admin: true, body: JSON.stringify({ status: "suspended" }) });
    const closed = await p.api("/api/v1/products", { tenant: "paused" });
    expect(closed.status).toBe(403);
    expect((await closed.json()).code).toBe("tenant_suspended");
    await p.api(`/api/v1/platform/tenants/${t.id}`, { method: "PATCH", admin: true, body: JSON.stringify({ status: "active" }) });
    expect((await p.api("/api/v1/products", { tenant: "paused" })).status).toBe(200);
  });

  it("refuses operator routes without the operator token", async () => {
    const res = await p.api("/api/v1/platform/tenants");
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
  });
});
