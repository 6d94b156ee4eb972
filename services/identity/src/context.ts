import type { Logger } from "@bazaar/service-kit/logging";
import type { Tenancy } from "@bazaar/service-kit/tenancy";
import type { StoreLook } from "./lib/theme.ts";
import type { Passwords } from "./modules/accounts/passwords.ts";
import type { KeyStore } from "./modules/keys/keys.service.ts";
import type { Settings } from "./settings.ts";

/** What identity's modules are given: built once in `createService`, never a module-level singleton. */
export interface IdentityCtx {
  tenancy: Tenancy;
  keys: KeyStore;
  passwords: Passwords;
  settings: Settings;
  clock: () => Date;
  logger: Logger;
  /** Purpose-bound keys derived from the service secret. */
  secrets: { refresh: Buffer; cookie: Buffer; csrf: Buffer };
  /** The store's name and theme for a realm's pages (cached); `undefined` means the neutral look. */
  storeLook: (ref: Pick<RealmRef, "tenantId" | "realm">) => Promise<StoreLook | undefined>;
}

/** The realm a request is for, resolved and validated once. */
export interface RealmRef {
  realm: string;
  tenantId: string;
  issuer: string;
}

export const issuerOf = (settings: Settings, realm: string) => `${settings.publicUrl}/auth/realms/${realm}`;

export const epoch = (d: Date) => Math.floor(d.getTime() / 1000);
