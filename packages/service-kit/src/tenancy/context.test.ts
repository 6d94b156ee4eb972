import { describe, expect, it } from "vitest";
import { AppError } from "../errors/index.ts";
import { createHttpApp } from "../http/app.ts";
import { createLogger } from "../logging/index.ts";
import { TENANT_HEADERS, internalHeaders, requireInternal, requireTenant, signTenantHeaders } from "./context.ts";
import { schemaForTenant } from "./tenancy.ts";

const SECRET = "unit-test-internal-secret-0123";
const TENANT = { tenantId: "ten_01jd5m3x4s9t2v8w0y1z2a3b4c", slug: "acme" };

function buildApp() {
  const app = createHttpApp({ service: "t", logger: createLogger({ service: "t", level: "silent" }) });
  app.use("/api/*", requireTenant({ secret: SECRET }));
  app.get("/api/whoami", (c) => c.json(c.get("tenant")));
  app.use("/internal/*", requireInternal({ secret: SECRET }));
  app.get("/internal/ping", (c) => c.json({ ok: true }));
  return app;
}

async function expectProblem(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  expect(await res.json()).toMatchObject({ status, code });
}

describe("requireTenant", () => {
  it("accepts headers signed with the shared secret and exposes the tenant", async () => {
    const res = await buildApp().request("/api/whoami", { headers: signTenantHeaders(SECRET, TENANT) });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(TENANT);
  });

  it("refuses a tampered signature with 403", async () => {
    const headers = signTenantHeaders(SECRET, TENANT);
    const sig = headers[TENANT_HEADERS.signature]!;
    headers[TENANT_HEADERS.signature] = (sig[0] === "A" ? "B" : "A") + sig.slice(1);
    await expectProblem(await buildApp().request("/api/whoami", { headers }), 403, "forbidden");
  });

  it("refuses a valid signature moved onto another tenant with 403", async () => {
    const headers = signTenantHeaders(SECRET, TENANT);
    headers[TENANT_HEADERS.id] = "ten_01jd5m3x4s9t2v8w0y1z2a3b4d";
    await expectProblem(await buildApp().request("/api/whoami", { headers }), 403, "forbidden");
    const slugSwapped = { ...signTenantHeaders(SECRET, TENANT), [TENANT_HEADERS.slug]: "other" };
    await expectProblem(await buildApp().request("/api/whoami", { headers: slugSwapped }), 403, "forbidden");
  });

  it("refuses headers signed with a different secret with 403", async () => {
    const headers = signTenantHeaders("some-other-secret-0123456789", TENANT);
    await expectProblem(await buildApp().request("/api/whoami", { headers }), 403, "forbidden");
  });

  it.each([TENANT_HEADERS.id, TENANT_HEADERS.slug, TENANT_HEADERS.signature])("answers 400 invalid_tenant without %s", async (missing) => {
    const headers = signTenantHeaders(SECRET, TENANT);
    delete headers[missing];
    await expectProblem(await buildApp().request("/api/whoami", { headers }), 400, "invalid_tenant");
  });

  it("answers 400 invalid_tenant with no tenant headers at all", async () => {
    await expectProblem(await buildApp().request("/api/whoami"), 400, "invalid_tenant");
  });

  it.each([
    { tenantId: "ten_../x", slug: "acme" },
    { tenantId: "ten_x'; drop table products; --", slug: "acme" },
    { tenantId: "ten_01JD5M3X4S9T2V8W0Y1Z2A3B4C", slug: "acme" },
    { tenantId: TENANT.tenantId, slug: "Acme" },
    { tenantId: TENANT.tenantId, slug: "acme'--" },
  ])("answers 400 invalid_tenant for a malformed tenant even when signed: $tenantId / $slug", async (tenant) => {
    const headers = signTenantHeaders(SECRET, tenant);
    await expectProblem(await buildApp().request("/api/whoami", { headers }), 400, "invalid_tenant");
  });
});

describe("requireInternal", () => {
  it("accepts the internal header made from the shared secret", async () => {
    const res = await buildApp().request("/internal/ping", { headers: internalHeaders(SECRET) });
    expect(res.status).toBe(200);
  });

  it("refuses a missing, forged or differently-keyed internal header with 403", async () => {
    const app = buildApp();
    await expectProblem(await app.request("/internal/ping"), 403, "forbidden");
    await expectProblem(await app.request("/internal/ping", { headers: internalHeaders("another-secret-0123456789") }), 403, "forbidden");
    await expectProblem(await app.request("/internal/ping", { headers: { [TENANT_HEADERS.internal]: "yes" } }), 403, "forbidden");
    // tenant headers are not internal credentials
    await expectProblem(await app.request("/internal/ping", { headers: signTenantHeaders(SECRET, TENANT) }), 403, "forbidden");
  });
});

describe("schemaForTenant", () => {
  it("derives a safe schema name from a tenant id", () => {
    const id = "ten_" + "0123456789abcdefghijklmnop";
    expect(schemaForTenant(id)).toBe("t_0123456789abcdefghijklmnop");
    expect(schemaForTenant(TENANT.tenantId)).toMatch(/^t_[a-z0-9_]{1,40}$/);
  });

  it.each([
    "ten_../x",
    'ten_aaaaaaaaaaaaaaaaaaaaaaaaaa"; drop schema public cascade; --',
    "ten_AAAAAAAAAAAAAAAAAAAAAAAAAA",
    "ten_aaaaaaaaaaaaaaaaaaaaaaaaa",
    "ten_aaaaaaaaaaaaaaaaaaaaaaaaaaa",
    "t_aaaaaaaaaaaaaaaaaaaaaaaaaa",
    "ten_aaaaaaaaaaaaaaaaaaaaaaaaa-",
    "",
  ])("throws AppError invalid_tenant for %j", (id) => {
    let thrown: unknown;
    try {
      schemaForTenant(id);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect((thrown as AppError).code).toBe("invalid_tenant");
    expect((thrown as AppError).status).toBe(400);
  });
});
