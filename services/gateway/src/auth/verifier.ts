import { createLocalJWKSet, createRemoteJWKSet, decodeJwt, errors, jwtVerify, type JSONWebKeySet, type JWTVerifyGetKey } from "jose";
import { API_AUDIENCE, AccessTokenClaims, Realm, Role, type IdentityContext } from "@bazaar/contracts";
import type { ServiceClient } from "@bazaar/service-kit/clients";
import { AppError } from "@bazaar/service-kit/errors";

/** Asymmetric algorithms only: `none` and HS* (e.g. HS256 "signed" with the public key) never verify. */
const ALGORITHMS = ["ES256", "ES384", "RS256", "PS256", "EdDSA"];
const ROLES = new Set<string>(Role.options);

export interface VerifierOptions {
  /** Issuer prefix of the built-in provider: `${publicUrl}/auth/realms/<realm>`. */
  issuerBase: string;
  /** Fetches `/auth/realms/<realm>/protocol/openid-connect/certs` from the identity service. */
  identity?: ServiceClient;
  /** A real Keycloak instead (`${KEYCLOAK_URL}/realms/<realm>`), keys fetched from it. */
  keycloakUrl?: string;
  /** How long fetched keys are trusted before a refresh (default 5 min). */
  jwksTtlMs?: number;
  /** Least time between refreshes caused by unknown key ids (default 1 s), so garbage kids cannot hammer the issuer. */
  minRefreshMs?: number;
  clockToleranceS?: number;
}

/**
 * Verifies OIDC access tokens against the issuer's JWKS (cached per realm, refreshed when a token
 * names an unknown key) and turns them into the IdentityContext forwarded to services.
 */
export class TokenVerifier {
  private readonly keys = new Map<string, { at: number; get: JWTVerifyGetKey }>();
  /**
   * Tokens already verified, until they expire (at most a minute): a client sends the same access
   * token with every call, and the signature check (WebCrypto, on the thread pool) dominated the cost.
   */
  private readonly verified = new Map<string, { until: number; identity: IdentityContext }>();
  private readonly prefix: string;

  constructor(private readonly opts: VerifierOptions) {
    this.prefix = opts.keycloakUrl ? `${opts.keycloakUrl.replace(/\/$/, "")}/realms/` : `${opts.issuerBase.replace(/\/$/, "")}/auth/realms/`;
  }

  private async keySet(realm: string, refresh: boolean): Promise<JWTVerifyGetKey> {
    const cached = this.keys.get(realm);
    const ttl = this.opts.jwksTtlMs ?? 300_000;
    if (cached && Date.now() - cached.at < (refresh ? (this.opts.minRefreshMs ?? 1_000) : ttl)) return cached.get;
    let get: JWTVerifyGetKey;
    if (this.opts.keycloakUrl) {
      get = createRemoteJWKSet(new URL(`${this.prefix}${realm}/protocol/openid-connect/certs`));
    } else {
      if (!this.opts.identity) throw new AppError("unavailable", "No identity provider is configured.");
      const jwks = await this.opts.identity.call<never>(`/auth/realms/${realm}/protocol/openid-connect/certs`);
      get = createLocalJWKSet(jwks as JSONWebKeySet);
    }
    this.keys.set(realm, { at: Date.now(), get });
    return get;
  }

  /** The caller behind a bearer token; throws 401 problems for anything not valid. */
  async verify(token: string): Promise<IdentityContext> {
    const hit = this.verified.get(token);
    if (hit && hit.until > Date.now()) return hit.identity;
    if (hit) this.verified.delete(token);
    const identity = await this.verifyUncached(token);
    if (this.verified.size >= 10_000) this.verified.clear();
    this.verified.set(token, { until: Math.min(Date.now() + 60_000, this.expiry(token)), identity });
    return identity;
  }

  private expiry(token: string): number {
    const exp = decodeJwt(token).exp;
    return typeof exp === "number" ? exp * 1000 : 0;
  }

  private async verifyUncached(token: string): Promise<IdentityContext> {
    let iss: unknown;
    try {
      iss = decodeJwt(token).iss;
    } catch {
      throw new AppError("unauthorized", "The access token is malformed.");
    }
    if (typeof iss !== "string" || !iss.startsWith(this.prefix)) throw new AppError("unauthorized", "The access token was not issued by this platform.");
    const realm = Realm.safeParse(iss.slice(this.prefix.length));
    if (!realm.success) throw new AppError("unauthorized", "The access token names an unknown realm.");
    const verifyWith = async (refresh: boolean) =>
      jwtVerify(token, await this.keySet(realm.data, refresh), {
        issuer: iss as string,
        audience: API_AUDIENCE,
        algorithms: ALGORITHMS,
        clockTolerance: this.opts.clockToleranceS ?? 5,
        requiredClaims: ["exp", "iat", "sub"],
      });
    let payload;
    try {
      payload = (await verifyWith(false)).payload;
    } catch (err) {
      if (err instanceof errors.JWKSNoMatchingKey) {
        try {
          payload = (await verifyWith(true)).payload;
        } catch (again) {
          throw unauthorized(again);
        }
      } else throw unauthorized(err);
    }
    const claims = AccessTokenClaims.safeParse(payload);
    if (!claims.success) throw new AppError("unauthorized", "The access token's claims are malformed.");
    const c = claims.data;
    return {
      sub: c.sub,
      realm: realm.data,
      roles: c.realm_access.roles.filter((r): r is Role => ROLES.has(r)),
      ...(c.azp ? { clientId: c.azp } : {}),
      ...(c.email ? { email: c.email } : {}),
    };
  }
}

function unauthorized(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof errors.JWTExpired) return new AppError("unauthorized", "The access token has expired.");
  if (err instanceof errors.JOSEError) return new AppError("unauthorized", `The access token is not valid (${err.code}).`);
  return new AppError("unavailable", "The identity provider's keys could not be fetched.");
}
