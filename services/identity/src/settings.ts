import type { CoreDeps } from "@bazaar/service-kit/service";
import type { StoreInfoFn } from "./lib/theme.ts";
import type { PasswordParams } from "./modules/accounts/passwords.ts";
import type { KeycloakAdminOptions } from "./modules/keycloak/keycloak-admin.ts";

/** Token and session lifetimes, in seconds. */
export interface Lifetimes {
  accessToken: number;
  authorizationCode: number;
  /** A refresh token lapses after this long unused (Keycloak's SSO session idle). */
  ssoIdle: number;
  /** A session ends this long after login whatever happens (Keycloak's SSO session max). */
  ssoMax: number;
  invitation: number;
}

export interface KeyRotation {
  /** How long a key signs before its successor takes over. */
  signingMs: number;
  /** The successor is published in the JWKS this long before it starts signing. */
  prepublishMs: number;
  /** How often the timer checks. */
  checkMs: number;
}

export interface IdentityDeps extends CoreDeps {
  /** Where the gateway is reached from outside; issuers are `${publicUrl}/auth/realms/${realm}`. */
  publicUrl?: string;
  /** Storefront origins per store, `{slug}` replaced (default `http://{slug}.localhost:3000`). */
  storefrontOrigins?: string[];
  /** Admin app origins (default `http://localhost:3001`). */
  adminOrigins?: string[];
  lifetimes?: Partial<Lifetimes>;
  lockout?: Partial<{ maxFailures: number; lockSeconds: number }>;
  keyRotation?: Partial<KeyRotation>;
  passwords?: Partial<PasswordParams>;
  /** A real Keycloak whose admin API receives each store's realm, roles and clients. */
  keycloak?: KeycloakAdminOptions;
  /**
   * A store's name and theme tokens for its realm's pages (the tenant service's `GET /api/v1/store`).
   * Answers are cached per realm for a minute; a failure or `undefined` shows the neutral look.
   */
  storeInfo?: StoreInfoFn;
}

export interface Settings {
  publicUrl: string;
  storefrontOrigins: string[];
  adminOrigins: string[];
  lifetimes: Lifetimes;
  lockout: { maxFailures: number; lockSeconds: number };
  keyRotation: KeyRotation;
  passwords: PasswordParams;
}

export const DEFAULT_PUBLIC_URL = "http://localhost:8080";

/** OWASP's argon2id minimum (19 MiB, t=2, p=1): ~10 ms a hash on this 2-core machine. */
export const DEFAULT_PASSWORD_PARAMS: PasswordParams = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export function resolveSettings(deps: IdentityDeps): Settings {
  const keyRotation: KeyRotation = { signingMs: 24 * 3_600_000, prepublishMs: 3_600_000, checkMs: 5 * 60_000, ...deps.keyRotation };
  if (keyRotation.prepublishMs >= keyRotation.signingMs || keyRotation.checkMs >= keyRotation.prepublishMs) {
    throw new Error("identity key rotation: need checkMs < prepublishMs < signingMs");
  }
  const lifetimes: Lifetimes = { accessToken: 300, authorizationCode: 60, ssoIdle: 1_800, ssoMax: 36_000, invitation: 7 * 86_400, ...deps.lifetimes };
  return {
    publicUrl: (deps.publicUrl ?? DEFAULT_PUBLIC_URL).replace(/\/+$/, ""),
    storefrontOrigins: deps.storefrontOrigins ?? ["http://{slug}.localhost:3000"],
    adminOrigins: deps.adminOrigins ?? ["http://localhost:3001"],
    lifetimes,
    lockout: { maxFailures: 5, lockSeconds: 900, ...deps.lockout },
    keyRotation,
    passwords: { ...DEFAULT_PASSWORD_PARAMS, ...deps.passwords },
  };
}
