import { describe, expect, it, beforeAll } from "vitest";
import { SignJWT, exportJWK, generateKeyPair, type JWK } from "jose";
import type { webcrypto } from "node:crypto";

type CryptoKey = webcrypto.CryptoKey;
import { createHmac } from "node:crypto";
import { API_AUDIENCE } from "@bazaar/contracts";
import type { ServiceClient } from "@bazaar/service-kit/clients";
import { TokenVerifier } from "./verifier.ts";

const BASE = "http://localhost:8080";
const ISS = `${BASE}/auth/realms/acme`;
let privateKey: CryptoKey;
let publicJwk: JWK;
let otherKey: CryptoKey;
let jwksCalls = 0;

function fakeIdentity(keys: () => JWK[]): ServiceClient {
  return {
    service: "identity",
    base: "http://in-process",
    fetch: async () => new Response(null),
    call: async () => {
      jwksCalls++;
      return { keys: keys() } as never;
    },
  } as unknown as ServiceClient;
}

const claims = (over: Record<string, unknown> = {}) => ({
  sub: "acc_1",
  realm_access: { roles: ["owner", "made-up-role"] },
  azp: "admin",
  email: "o@acme.test",
  ...over,
});

async function sign(opts: { key?: CryptoKey; kid?: string; iss?: string; aud?: string | string[]; exp?: string | number; nbf?: string | number; body?: Record<string, unknown> } = {}) {
  const jwt = new SignJWT(claims(opts.body))
    .setProtectedHeader({ alg: "ES256", kid: opts.kid ?? "k1" })
    .setIssuer(opts.iss ?? ISS)
    .setAudience(opts.aud ?? [API_AUDIENCE, "admin"])
    .setIssuedAt()
    .setExpirationTime(opts.exp ?? "5m");
  if (opts.nbf !== undefined) jwt.setNotBefore(opts.nbf);
  return jwt.sign(opts.key ?? privateKey);
}

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");

describe("TokenVerifier", () => {
  let verifier: TokenVerifier;
  beforeAll(async () => {
    const pair = await generateKeyPair("ES256", { extractable: true });
    privateKey = pair.privateKey;
    publicJwk = { ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "ES256", use: "sig" };
    otherKey = (await generateKeyPair("ES256")).privateKey;
    verifier = new TokenVerifier({ issuerBase: BASE, identity: fakeIdentity(() => [publicJwk]) });
  });

  it("accepts a valid token and maps realm roles, dropping unknown ones", async () => {
    const id = await verifier.verify(await sign());
    expect(id).toEqual({ sub: "acc_1", realm: "acme", roles: ["owner"], clientId: "admin", email: "o@acme.test" });
  });

  it("caches the realm's keys", async () => {
    const before = jwksCalls;
    await verifier.verify(await sign());
    await verifier.verify(await sign());
    expect(jwksCalls).toBe(before);
  });

  const refused: [string, () => Promise<string>][] = [
    ["alg none", async () => `${b64({ alg: "none", typ: "JWT" })}.${b64({ ...claims(), iss: ISS, aud: API_AUDIENCE, exp: Math.floor(Date.now() / 1000) + 300, iat: Math.floor(Date.now() / 1000) })}.`],
    [
      "HS256 signed with the public key",
      async () => {
        const head = b64({ alg: "HS256", typ: "JWT", kid: "k1" });
        const body = b64({ ...claims(), iss: ISS, aud: API_AUDIENCE, exp: Math.floor(Date.now() / 1000) + 300, iat: Math.floor(Date.now() / 1000) });
        const sig = createHmac("sha256", JSON.stringify(publicJwk)).update(`${head}.${body}`).digest("base64url");
        return `${head}.${body}.${sig}`;
      },
    ],
    ["expired", () => sign({ exp: Math.floor(Date.now() / 1000) - 60 })],
    ["not yet valid", () => sign({ nbf: Math.floor(Date.now() / 1000) + 600 })],
    ["wrong issuer", () => sign({ iss: "http://evil.example/auth/realms/acme" })],
    ["wrong audience", () => sign({ aud: "some-other-api" })],
    [
      "tampered payload",
      async () => {
        const [h, , s] = (await sign()).split(".");
        return `${h}.${b64({ ...claims({ realm_access: { roles: ["operator"] } }), iss: ISS, aud: API_AUDIENCE, exp: Math.floor(Date.now() / 1000) + 300, iat: 1 })}.${s}`;
      },
    ],
    ["unknown kid", () => sign({ key: otherKey, kid: "nope" })],
    ["signed by another key under a known kid", () => sign({ key: otherKey })],
    ["garbage", async () => "not.a.jwt"],
    ["realm name crafted in the issuer", () => sign({ iss: `${BASE}/auth/realms/../platform` })],
  ];

  it.each(refused)("refuses a token: %s", async (_name, make) => {
    await expect(verifier.verify(await make())).rejects.toMatchObject({ code: "unauthorized", status: 401 });
  });

  it("remembers a verified token only until it expires", async () => {
    const v = new TokenVerifier({ issuerBase: BASE, identity: fakeIdentity(() => [publicJwk]), clockToleranceS: 0 });
    const shortLived = await sign({ exp: Math.floor(Date.now() / 1000) + 1 });
    await expect(v.verify(shortLived)).resolves.toMatchObject({ sub: "acc_1" });
    await new Promise((r) => setTimeout(r, 1_100));
    await expect(v.verify(shortLived)).rejects.toMatchObject({ code: "unauthorized" });
  });

  it("refetches keys once for an unknown kid (key rotation), then accepts tokens of the new key", async () => {
    const next = await generateKeyPair("ES256", { extractable: true });
    const nextJwk = { ...(await exportJWK(next.publicKey)), kid: "k2", alg: "ES256" };
    let keys = [publicJwk];
    const v = new TokenVerifier({ issuerBase: BASE, identity: fakeIdentity(() => keys), minRefreshMs: 0 });
    await v.verify(await sign());
    keys = [publicJwk, nextJwk];
    await expect(v.verify(await sign({ key: next.privateKey, kid: "k2" }))).resolves.toMatchObject({ sub: "acc_1" });
  });
});
