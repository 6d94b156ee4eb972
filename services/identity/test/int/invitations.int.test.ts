import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IdentityEvents, TenantEvents, type EventEnvelope } from "@bazaar/contracts";
import { schemaForTenant } from "@bazaar/service-kit/tenancy";
import { createId } from "@bazaar/service-kit/ids";
import { eventually } from "@bazaar/service-kit/testing";
import { provision, startIdentity, type Harness } from "./harness.ts";

describe("identity: owner invitation on tenant.tenant.created", () => {
  let h: Harness;
  const seen: EventEnvelope[] = [];
  beforeAll(async () => {
    h = await startIdentity();
    await h.bus.subscribe({ group: "test-observer", topics: ["tenants"], handler: async (e) => void seen.push(e) });
  });
  afterAll(async () => h?.stop());

  it("creates one owner invitation and exactly one staffInvited event, even when the event arrives twice", async () => {
    const tenantId = await provision(h.service, "acme");
    const envelope: EventEnvelope = {
      id: createId("event"),
      type: TenantEvents.created.type,
      version: 1,
      tenantId,
      aggregateId: tenantId,
      occurredAt: new Date().toISOString(),
      data: { slug: "acme", name: "Acme", plan: "starter", currency: "USD", ownerEmail: "Owner@Acme.test" },
    };
    const message = { topic: "tenants", key: `${tenantId}:${tenantId}`, envelope };
    await h.bus.publish([message]);
    await h.bus.publish([message]);

    const invited = await eventually(() => seen.find((e) => e.type === IdentityEvents.staffInvited.type), "staffInvited published");
    const data = IdentityEvents.staffInvited.schema.parse(invited.data);
    expect(invited.tenantId).toBe(tenantId);
    expect(data).toMatchObject({ email: "owner@acme.test", role: "owner", invitedBy: null });
    expect(data.inviteUrl).toMatch(/^http:\/\/localhost:8080\/auth\/realms\/acme\/login-actions\/action-token\?key=[A-Za-z0-9_-]{43}$/);

    // Let the duplicate be handled, then count.
    await eventually(async () => {
      const [row] = await h.database.sql<{ n: number }[]>`select count(*)::int as n from public.bazaar_inbox where consumer = 'identity' and event_id = ${envelope.id}`;
      return row!.n === 1;
    }, "inbox row");
    await new Promise((r) => setTimeout(r, 300));
    const outbox = await h.database.sql<{ n: number }[]>`
      select count(*)::int as n from public.bazaar_outbox where tenant_id = ${tenantId} and type = ${IdentityEvents.staffInvited.type}`;
    expect(outbox[0]!.n).toBe(1);
    const tokens = await h.database.sql.unsafe<{ kind: string; email: string; role: string; token_hash: string }[]>(
      `select kind, email, role, token_hash from "${schemaForTenant(tenantId)}".action_tokens`,
    );
    expect(tokens).toHaveLength(1);
    expect(tokens[0]).toMatchObject({ kind: "invitation", email: "owner@acme.test", role: "owner" });
    // Only the hash is stored: the link's key is not in the database.
    const key = new URL(data.inviteUrl).searchParams.get("key")!;
    expect(tokens[0]!.token_hash).not.toBe(key);
    expect(seen.filter((e) => e.type === IdentityEvents.staffInvited.type)).toHaveLength(1);
  });
});
