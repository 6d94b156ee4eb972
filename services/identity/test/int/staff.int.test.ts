import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IdentityEvents, type IdentityContext } from "@bazaar/contracts";
import { login, provision, startIdentity, token, upsertAccount, type Harness } from "./harness.ts";
import { asCaller, outbox } from "./pages-helpers.ts";

const PASSWORD = "correct horse battery";
const INVITE = "/api/v1/admin/staff/invitations";
const STAFF = "/api/v1/admin/staff";

interface StaffListBody {
  members: { id: string; email: string; roles: string[] }[];
  invitations: { id: string; email: string; role: string; invitedBy: string | null; expiresAt: string }[];
}

describe("identity: staff API (merchant, behind the gateway)", () => {
  let h: Harness;
  let acme: { tenantId: string; slug: string };
  const ids: Record<string, string> = {};
  const as = (email: string, roles: IdentityContext["roles"], realm = "acme"): IdentityContext => ({ sub: ids[email] ?? "acc_unknown", realm, roles });

  beforeAll(async () => {
    h = await startIdentity();
    acme = { tenantId: await provision(h.service, "acme"), slug: "acme" };
    await provision(h.service, "volt");
    for (const [email, roles] of [
      ["owner@acme.test", ["owner"]],
      ["manager@acme.test", ["manager"]],
      ["viewer@acme.test", ["viewer"]],
      ["shopper@acme.test", ["shopper"]],
    ] as const) {
      const res = await upsertAccount(h.service, "acme", { email, password: PASSWORD, roles: [...roles] });
      ids[email] = (res.body as { id: string }).id;
    }
  });
  afterAll(async () => h?.stop());

  it("an owner invites: 201 with the invitation id and expiry, and one staffInvited event", async () => {
    const res = await h.service.app.request(INVITE, asCaller(acme, as("owner@acme.test", ["owner"]), { method: "POST", body: { email: "New@Acme.test", role: "manager" } }));
    expect(res.status).toBe(201);
    const body = (await res.json()) as { id: string; email: string; role: string; expiresAt: string; invitedBy: string };
    expect(body).toMatchObject({ id: expect.stringMatching(/^act_/), email: "new@acme.test", role: "manager", invitedBy: ids["owner@acme.test"] });
    const days = (new Date(body.expiresAt).getTime() - h.clock.now().getTime()) / 86_400_000;
    expect(days).toBeGreaterThan(6.99);
    expect(days).toBeLessThanOrEqual(7);
    const events = (await outbox(h, acme.tenantId, IdentityEvents.staffInvited)).filter((e) => e.aggregateId === body.id);
    expect(events).toHaveLength(1);
    expect(events[0]!.data).toMatchObject({ email: "new@acme.test", role: "manager", invitedBy: ids["owner@acme.test"], expiresAt: body.expiresAt });
  });

  it("only owners invite; the body is validated; a member already holding the role is a 409", async () => {
    const body = { email: "x@acme.test", role: "viewer" };
    for (const caller of [as("manager@acme.test", ["manager"]), as("viewer@acme.test", ["viewer"]), as("shopper@acme.test", ["shopper"])]) {
      const res = await h.service.app.request(INVITE, asCaller(acme, caller, { method: "POST", body }));
      expect(res.status).toBe(403);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
    expect((await h.service.app.request(INVITE, asCaller(acme, undefined, { method: "POST", body }))).status).toBe(401);
    const owner = as("owner@acme.test", ["owner"]);
    expect((await h.service.app.request(INVITE, asCaller(acme, owner, { method: "POST", body: { email: "x@acme.test", role: "operator" } }))).status).toBe(422);
    expect((await h.service.app.request(INVITE, asCaller(acme, owner, { method: "POST", body: { email: "nope", role: "viewer" } }))).status).toBe(422);
    const dup = await h.service.app.request(INVITE, asCaller(acme, owner, { method: "POST", body: { email: "Manager@acme.test", role: "manager" } }));
    expect(dup.status).toBe(409);
    // A token of another store's realm (the gateway refuses it too) and an unsigned call.
    expect((await h.service.app.request(INVITE, asCaller(acme, as("owner@acme.test", ["owner"], "volt"), { method: "POST", body }))).status).toBe(403);
    expect((await h.service.app.request(INVITE, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) })).status).toBe(400);
  });

  it("owners and managers list members (staff roles only) and pending invitations; viewers cannot", async () => {
    for (const caller of [as("owner@acme.test", ["owner"]), as("manager@acme.test", ["manager"])]) {
      const res = await h.service.app.request(STAFF, asCaller(acme, caller));
      expect(res.status).toBe(200);
      const body = (await res.json()) as StaffListBody;
      expect(body.members.map((m) => m.email).sort()).toEqual(["manager@acme.test", "owner@acme.test", "viewer@acme.test"]);
      expect(body.members.find((m) => m.email === "owner@acme.test")!.roles).toEqual(["owner"]);
      expect(body.invitations.map((i) => i.email)).toContain("new@acme.test");
    }
    expect((await h.service.app.request(STAFF, asCaller(acme, as("viewer@acme.test", ["viewer"])))).status).toBe(403);
    expect((await h.service.app.request(STAFF, asCaller(acme, as("shopper@acme.test", ["shopper"])))).status).toBe(403);
    // The route table covers every /api route; an undeclared one is refused.
    expect((await h.service.app.request("/api/v1/admin/staff/other", asCaller(acme, as("owner@acme.test", ["owner"])))).status).toBe(404);
  });

  it("removing staff: not the last owner (409); another owner can go, and their sessions end", async () => {
    const owner = as("owner@acme.test", ["owner"]);
    const del = (id: string, caller = owner) => h.service.app.request(`${STAFF}/${id}`, asCaller(acme, caller, { method: "DELETE" }));

    const last = await del(ids["owner@acme.test"]!);
    expect(last.status).toBe(409);
    expect(((await last.json()) as { detail: string }).detail).toContain("last owner");
    expect((await del(ids["viewer@acme.test"]!, as("manager@acme.test", ["manager"]))).status).toBe(403);
    expect((await del("acc_00000000000000000000000000")).status).toBe(404);
    expect((await del(ids["shopper@acme.test"]!)).status).toBe(404);

    // A second owner: now the first may be removed, not both.
    const second = await upsertAccount(h.service, "acme", { email: "second@acme.test", password: PASSWORD, roles: ["owner", "shopper"] });
    const secondId = (second.body as { id: string }).id;
    const session = await login(h.service, "acme", "second@acme.test", PASSWORD, "admin");
    const removed = await del(secondId);
    expect(removed.status).toBe(204);
    const refreshed = await token(h.service, "acme", { grant_type: "refresh_token", client_id: "admin", refresh_token: session.refresh_token });
    expect(refreshed).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    // The account stays, with its shopper role only.
    const after = await login(h.service, "acme", "second@acme.test", PASSWORD);
    expect(JSON.parse(Buffer.from(after.access_token.split(".")[1]!, "base64url").toString()).realm_access.roles).toEqual(["shopper"]);
    expect((await del(ids["owner@acme.test"]!)).status).toBe(409);

    // Two owners removing each other at once: exactly one wins.
    const third = await upsertAccount(h.service, "acme", { email: "third@acme.test", password: PASSWORD, roles: ["owner"] });
    const thirdId = (third.body as { id: string }).id;
    const results = await Promise.all([del(thirdId), del(ids["owner@acme.test"]!)]);
    expect(results.map((r) => r.status).sort()).toEqual([204, 409]);
    const list = (await (await h.service.app.request(STAFF, asCaller(acme, as("manager@acme.test", ["manager"])))).json()) as StaffListBody;
    expect(list.members.filter((m) => m.roles.includes("owner"))).toHaveLength(1);
  });

  it("the staff routes appear in the service's OpenAPI with their access", async () => {
    const doc = (await (await h.service.app.request("/openapi.json")).json()) as { paths: Record<string, Record<string, { "x-bazaar-access"?: unknown }>> };
    expect(doc.paths[INVITE]?.post?.["x-bazaar-access"]).toEqual(["owner"]);
    expect(doc.paths[STAFF]?.get?.["x-bazaar-access"]).toEqual(["owner", "manager"]);
    expect(doc.paths[`${STAFF}/{accountId}`]?.delete?.["x-bazaar-access"]).toEqual(["owner"]);
  });
});
