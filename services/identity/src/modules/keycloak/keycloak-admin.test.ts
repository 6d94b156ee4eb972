import { describe, expect, it } from "vitest";
import { Hono } from "hono";
import { KeycloakAdmin } from "./keycloak-admin.ts";

/** A local stand-in for Keycloak's admin REST API that checks auth and request shapes as Keycloak documents them. */
function fakeKeycloak() {
  const realms = new Map<string, { rep: Record<string, unknown>; roles: Set<string>; clients: Map<string, Record<string, unknown>> }>();
  const log: string[] = [];
  let logins = 0;
  const app = new Hono();
  app.post("/realms/master/protocol/openid-connect/token", async (c) => {
    const form = await c.req.parseBody();
    if (form.client_id !== "admin-cli" || form.username !== "admin" || form.password !== "secret") return c.json({ error: "invalid_grant" }, 401);
    logins++;
    return c.json({ access_token: "admin-token", expires_in: 60 });
  });
  app.use("/admin/*", async (c, next) => {
    if (c.req.header("authorization") !== "Bearer admin-token") return c.body(null, 401);
    log.push(`${c.req.method} ${c.req.path}`);
    await next();
  });
  app.get("/admin/realms/:realm", (c) => (realms.has(c.req.param("realm")) ? c.json(realms.get(c.req.param("realm"))!.rep) : c.body(null, 404)));
  app.post("/admin/realms", async (c) => {
    const rep = await c.req.json<{ realm: string }>();
    if (realms.has(rep.realm)) return c.body(null, 409);
    realms.set(rep.realm, { rep, roles: new Set(), clients: new Map() });
    return c.body(null, 201);
  });
  app.get("/admin/realms/:realm/roles/:role", (c) => (realms.get(c.req.param("realm"))?.roles.has(c.req.param("role")) ? c.json({ name: c.req.param("role") }) : c.body(null, 404)));
  app.post("/admin/realms/:realm/roles", async (c) => {
    realms.get(c.req.param("realm"))!.roles.add((await c.req.json<{ name: string }>()).name);
    return c.body(null, 201);
  });
  app.get("/admin/realms/:realm/clients", (c) => {
    const all = [...(realms.get(c.req.param("realm"))?.clients.values() ?? [])];
    return c.json(all.filter((x) => x.clientId === c.req.query("clientId")));
  });
  app.post("/admin/realms/:realm/clients", async (c) => {
    const rep = await c.req.json<Record<string, unknown>>();
    realms.get(c.req.param("realm"))!.clients.set(String(rep.clientId), { ...rep, id: `uuid-${rep.clientId}` });
    return c.body(null, 201);
  });
  app.put("/admin/realms/:realm/clients/:id", async (c) => {
    const rep = await c.req.json<Record<string, unknown>>();
    if (rep.id !== c.req.param("id")) return c.body(null, 400);
    realms.get(c.req.param("realm"))!.clients.set(String(rep.clientId), rep);
    return c.body(null, 204);
  });
  app.delete("/admin/realms/:realm", (c) => (realms.delete(c.req.param("realm")) ? c.body(null, 204) : c.body(null, 404)));
  return { app, realms, log, logins: () => logins };
}

const clients = [
  { clientId: "storefront", origins: ["http://acme.localhost:3000"] },
  { clientId: "admin", origins: ["http://localhost:3001/"] },
];

describe("KeycloakAdmin", () => {
  it("creates a store's realm with Bazaar's roles and PKCE clients whose tokens carry the API audience", async () => {
    const kc = fakeKeycloak();
    const admin = new KeycloakAdmin({ url: "http://kc.test/", adminUser: "admin", adminPassword: "secret", fetch: async (r) => kc.app.fetch(r) });
    await admin.ensureRealm("acme", clients);
    const realm = kc.realms.get("acme")!;
    expect(realm.rep).toMatchObject({ realm: "acme", enabled: true, registrationAllowed: true, bruteForceProtected: true });
    expect([...realm.roles].sort()).toEqual(["manager", "owner", "shopper", "viewer"]);
    const sf = realm.clients.get("storefront")!;
    expect(sf).toMatchObject({ publicClient: true, redirectUris: ["http://acme.localhost:3000/*"], webOrigins: ["http://acme.localhost:3000"] });
    expect((sf.attributes as Record<string, string>)["pkce.code.challenge.method"]).toBe("S256");
    expect(JSON.stringify(sf.protocolMappers)).toContain('"included.custom.audience":"bazaar-api"');
    expect(realm.clients.get("admin")).toMatchObject({ redirectUris: ["http://localhost:3001/*"] });
  });

  it("is idempotent: a second run creates nothing and updates the clients in place", async () => {
    const kc = fakeKeycloak();
    const admin = new KeycloakAdmin({ url: "http://kc.test", adminUser: "admin", adminPassword: "secret", fetch: async (r) => kc.app.fetch(r) });
    await admin.ensureRealm("acme", clients);
    kc.log.length = 0;
    await admin.ensureRealm("acme", [{ clientId: "storefront", origins: ["https://acme.shop.example"] }]);
    expect(kc.log.filter((l) => l.startsWith("POST"))).toEqual([]);
    expect(kc.log).toContain("PUT /admin/realms/acme/clients/uuid-storefront");
    expect(kc.realms.get("acme")!.clients.get("storefront")).toMatchObject({ redirectUris: ["https://acme.shop.example/*"] });
    expect(kc.logins()).toBe(1); // the admin token is reused until it expires
  });

  it("gives the platform realm only the operator role and no registration", async () => {
    const kc = fakeKeycloak();
    const admin = new KeycloakAdmin({ url: "http://kc.test", adminUser: "admin", adminPassword: "secret", fetch: async (r) => kc.app.fetch(r) });
    await admin.ensureRealm("platform", [{ clientId: "admin", origins: ["http://localhost:3001"] }]);
    expect([...kc.realms.get("platform")!.roles]).toEqual(["operator"]);
    expect(kc.realms.get("platform")!.rep).toMatchObject({ registrationAllowed: false });
  });

  it("fails clearly with wrong admin credentials", async () => {
    const kc = fakeKeycloak();
    const admin = new KeycloakAdmin({ url: "http://kc.test", adminUser: "admin", adminPassword: "wrong", fetch: async (r) => kc.app.fetch(r) });
    await expect(admin.ensureRealm("acme", clients)).rejects.toMatchObject({ name: "KeycloakError", status: 401 });
  });
});

const real = process.env.KEYCLOAK_URL;
if (!real) console.log("[keycloak] skipping the real-Keycloak contract test: KEYCLOAK_URL is not set");
describe.skipIf(!real)("KeycloakAdmin against a real Keycloak", () => {
  it("creates, updates and deletes a realm", async () => {
    const admin = new KeycloakAdmin({ url: real!, adminUser: process.env.KEYCLOAK_ADMIN_USER ?? "admin", adminPassword: process.env.KEYCLOAK_ADMIN_PASSWORD ?? "admin" });
    const realm = `bazaar-contract-${Date.now().toString(36)}`;
    await admin.ensureRealm(realm, clients);
    await admin.ensureRealm(realm, clients);
    await admin.deleteRealm(realm);
  });
});
