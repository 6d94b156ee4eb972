import { createHash, randomBytes } from "node:crypto";
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet, type JWTPayload } from "jose";
import type { z } from "zod";
import { API_AUDIENCE, Account, TokenResponse, type UpsertAccountBody } from "@bazaar/contracts";
import type { Database } from "@bazaar/service-kit/db";
import { InProcessBus } from "@bazaar/service-kit/events";
import { createId } from "@bazaar/service-kit/ids";
import { internalHeaders } from "@bazaar/service-kit/tenancy";
import { freshDatabase, silentLogger, TEST_SECRET } from "@bazaar/service-kit/testing";
import { createService, type IdentityDeps, type IdentityService } from "../../src/app.ts";

export const PUBLIC_URL = "http://localhost:8080";
export const issuer = (realm: string) => `${PUBLIC_URL}/auth/realms/${realm}`;
export const oidc = (realm: string, endpoint: string) => `/auth/realms/${realm}/protocol/openid-connect/${endpoint}`;

/** A clock the test moves: real time plus an offset. */
export function testClock() {
  let offsetMs = 0;
  return {
    now: () => new Date(Date.now() + offsetMs),
    advance: (ms: number) => {
      offsetMs += ms;
    },
  };
}

export interface Harness {
  service: IdentityService;
  database: Database;
  bus: InProcessBus;
  clock: ReturnType<typeof testClock>;
  stop(): Promise<void>;
}

export async function startIdentity(overrides: Partial<IdentityDeps> = {}): Promise<Harness> {
  const database = await freshDatabase("identity");
  const bus = new InProcessBus();
  const clock = testClock();
  const service = createService({
    logger: silentLogger(),
    database,
    bus,
    secret: TEST_SECRET,
    clock: clock.now,
    relay: { pollMs: 50 },
    publicUrl: PUBLIC_URL,
    ...overrides,
  });
  await service.start();
  return {
    service,
    database,
    bus,
    clock,
    async stop() {
      await service.stop();
      await bus.close();
      await database.close();
    },
  };
}

export async function provision(service: IdentityService, slug: string): Promise<string> {
  const tenantId = createId("tenant");
  const res = await service.app.request("/internal/tenants/provision", {
    method: "POST",
    headers: { ...internalHeaders(TEST_SECRET), "content-type": "application/json" },
    body: JSON.stringify({ tenantId, slug }),
  });
  if (res.status !== 200) throw new Error(`provisioning failed: ${res.status} ${await res.text()}`);
  return tenantId;
}

export async function upsertAccount(service: IdentityService, realm: string, body: z.input<typeof UpsertAccountBody>) {
  const res = await service.app.request(`/internal/realms/${realm}/accounts`, {
    method: "POST",
    headers: { ...internalHeaders(TEST_SECRET), "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: res.status < 300 ? Account.parse(await res.json()) : await res.json() };
}

export const form = (fields: Record<string, string>) => ({
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams(fields).toString(),
});

export async function token(service: IdentityService, realm: string, fields: Record<string, string>) {
  const res = await service.app.request(oidc(realm, "token"), form(fields));
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** `grant_type=password`; returns the parsed token response (throws on anything else). */
export async function login(service: IdentityService, realm: string, username: string, password: string, clientId = "storefront") {
  const { status, body } = await token(service, realm, { grant_type: "password", client_id: clientId, username, password, scope: "openid" });
  if (status !== 200) throw new Error(`login failed: ${status} ${JSON.stringify(body)}`);
  return TokenResponse.parse(body);
}

/** Verify an access token the way a resource server would: the realm's JWKS, issuer and audience. */
export async function verifyAccessToken(service: IdentityService, realm: string, jwt: string, at: Date): Promise<JWTPayload> {
  const jwks = (await (await service.app.request(oidc(realm, "certs"))).json()) as JSONWebKeySet;
  const { payload } = await jwtVerify(jwt, createLocalJWKSet(jwks), { issuer: issuer(realm), audience: API_AUDIENCE, currentDate: at });
  return payload;
}

export function pkce() {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

export const bearer = (jwt: string) => ({ headers: { authorization: `Bearer ${jwt}` } });
