import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLocalJWKSet, decodeProtectedHeader, errors, jwtVerify } from "jose";
import { API_AUDIENCE, JsonWebKeySet } from "@bazaar/contracts";
import { silentLogger } from "@bazaar/service-kit/testing";
import { KeyStore } from "../../src/modules/keys/keys.service.ts";
import { issuer, login, oidc, provision, startIdentity, upsertAccount, type Harness } from "./harness.ts";

const HOUR = 3_600_000;
const PASSWORD = "correct horse battery";

describe("identity: signing key rotation", () => {
  let h: Harness;
  const jwks = async () => JsonWebKeySet.parse(await (await h.service.app.request(oidc("acme", "certs"))).json());
  const verify = async (jwt: string, at: Date) =>
    jwtVerify(jwt, createLocalJWKSet(await jwks()), { issuer: issuer("acme"), audience: API_AUDIENCE, currentDate: at });

  beforeAll(async () => {
    h = await startIdentity({ keyRotation: { signingMs: 24 * HOUR, prepublishMs: HOUR } });
    await provision(h.service, "acme");
    await upsertAccount(h.service, "acme", { email: "shopper@acme.test", password: PASSWORD, roles: ["shopper"] });
  });
  afterAll(async () => h?.stop());

  it("keeps private keys encrypted at rest", async () => {
    const rows = await h.database.sql<{ kid: string; public_jwk: Record<string, unknown>; private_jwk_enc: string }[]>`
      select kid, public_jwk, private_jwk_enc from identity_signing_keys`;
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      expect(r.public_jwk).not.toHaveProperty("d");
      expect(r.private_jwk_enc).toMatch(/^v1\./);
      expect(r.private_jwk_enc).not.toContain('"d"');
    }
    expect((await jwks()).keys.every((k) => !("d" in k))).toBe(true);
  });

  it("prepublishes the successor, signs with it after rotation, and keeps the old key until its tokens expire", async () => {
    const t0 = h.clock.now();
    const old = await login(h.service, "acme", "shopper@acme.test", PASSWORD);
    const oldKid = decodeProtectedHeader(old.access_token).kid!;
    expect((await jwks()).keys.map((k) => k.kid)).toEqual([oldKid]);

    // An hour before retirement the successor appears in the JWKS, but does not sign yet.
    h.clock.advance(23.5 * HOUR);
    const { created } = await h.service.rotateKeys();
    expect(created).toHaveLength(1);
    const newKid = created[0]!;
    expect((await jwks()).keys.map((k) => k.kid).sort()).toEqual([oldKid, newKid].sort());
    expect(await h.service.rotateKeys()).toEqual({ created: [], removed: [] });
    expect(decodeProtectedHeader((await login(h.service, "acme", "shopper@acme.test", PASSWORD)).access_token).kid).toBe(oldKid);

    // Just past retirement: the new key signs; the old token still verifies (its key is still published).
    h.clock.advance(HOUR / 2 + 60_000);
    await h.service.rotateKeys();
    const fresh = await login(h.service, "acme", "shopper@acme.test", PASSWORD);
    expect(decodeProtectedHeader(fresh.access_token).kid).toBe(newKid);
    await expect(verify(old.access_token, new Date(t0.getTime() + 60_000))).resolves.toBeTruthy();
    await expect(verify(fresh.access_token, h.clock.now())).resolves.toBeTruthy();

    // Once every token the old key signed has expired, it leaves the JWKS.
    h.clock.advance(10 * 60_000);
    const { removed } = await h.service.rotateKeys();
    expect(removed).toEqual([oldKid]);
    expect((await jwks()).keys.map((k) => k.kid)).toEqual([newKid]);
    await expect(verify(old.access_token, new Date(t0.getTime() + 60_000))).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey);
    const later = await login(h.service, "acme", "shopper@acme.test", PASSWORD);
    const res = await h.service.app.request(oidc("acme", "userinfo"), { headers: { authorization: `Bearer ${later.access_token}` } });
    expect(res.status).toBe(200);
  });

  it("signs again after a late timer: a key is created on demand when none is active", async () => {
    h.clock.advance(72 * HOUR);
    const t = await login(h.service, "acme", "shopper@acme.test", PASSWORD);
    const kid = decodeProtectedHeader(t.access_token).kid!;
    expect((await jwks()).keys.map((k) => k.kid)).toContain(kid);
    await expect(verify(t.access_token, h.clock.now())).resolves.toBeTruthy();
  });

  // Last: its far-future clock expires every key the tests above made.
  it("a key made on demand signs even when the clock moved on while it was made (every call a millisecond later)", async () => {
    let t = Date.now() + 500 * HOUR;
    const store = new KeyStore({
      database: h.database,
      sealKey: Buffer.alloc(32, 7),
      clock: () => new Date((t += 1)),
      rotation: { signingMs: 24 * HOUR, prepublishMs: HOUR, checkMs: 5 * 60_000 },
      maxTokenSeconds: 900,
      logger: silentLogger(),
    });
    const signer = await store.signer();
    expect(signer.kid).toMatch(/.+/);
  });
});
