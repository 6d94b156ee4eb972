import { fileURLToPath } from "node:url";
import { PLATFORM_REALM, PLATFORM_TENANT_ID } from "@bazaar/contracts";
import { createServiceCore, type ServiceHandle } from "@bazaar/service-kit/service";
import { applyPlatformMigrations, loadMigrations } from "@bazaar/service-kit/tenancy";
import { ACCESS } from "./access.ts";
import { tenantCreatedHandler } from "./consumers/tenant-created.ts";
import type { IdentityCtx } from "./context.ts";
import { deriveKey } from "./lib/crypto.ts";
import { createStoreLooks } from "./lib/theme.ts";
import { accountPageRoutes } from "./modules/account-pages/account-pages.routes.ts";
import { accountRoutes } from "./modules/accounts/accounts.routes.ts";
import { createPasswords } from "./modules/accounts/passwords.ts";
import { defaultClients, seedClients } from "./modules/clients/clients.service.ts";
import { KeycloakAdmin } from "./modules/keycloak/keycloak-admin.ts";
import { KeyStore } from "./modules/keys/keys.service.ts";
import { authorizeRoutes } from "./modules/oidc/authorize.routes.ts";
import { discoveryRoutes } from "./modules/oidc/discovery.routes.ts";
import { oidcDocs } from "./modules/oidc/oidc.docs.ts";
import { REALM_PATH, resolveRealm } from "./modules/oidc/realm.ts";
import { tokenRoutes } from "./modules/oidc/token.routes.ts";
import { userinfoRoutes } from "./modules/oidc/userinfo.routes.ts";
import { staffRoutes } from "./modules/staff/staff.routes.ts";
import { resolveSettings, type IdentityDeps } from "./settings.ts";

export type { IdentityDeps } from "./settings.ts";

export interface IdentityService extends ServiceHandle {
  /** Create due signing keys and drop expired ones now (the timer does it every `keyRotation.checkMs`). */
  rotateKeys(): Promise<{ created: string[]; removed: string[] }>;
}

/**
 * The identity service: an OpenID Connect provider with Keycloak's paths. One realm per store (its
 * slug; data in the store's schema) plus `platform` for operators, a pseudo-tenant it provisions
 * itself. Signing keys are shared by the realms and rotate; the issuer keeps realms apart.
 */
export function createService(deps: IdentityDeps): IdentityService {
  const settings = resolveSettings(deps);
  const clock = deps.clock ?? (() => new Date());
  const keycloak = deps.keycloak ? new KeycloakAdmin(deps.keycloak) : undefined;
  const core = createServiceCore("identity", deps, new URL("../migrations/tenant", import.meta.url), {
    afterProvision: async (req, tenancy) => {
      await tenancy.withTenant(req.tenantId, (tx) => seedClients(tx, req.slug, settings));
      // With KEYCLOAK_URL the realm also lives in Keycloak, which then issues the tokens.
      await keycloak?.ensureRealm(req.slug, defaultClients(req.slug, settings));
    },
    access: ACCESS,
  });
  const keys = new KeyStore({
    database: deps.database,
    sealKey: deriveKey(deps.secret, "signing-keys:v1"),
    clock,
    rotation: settings.keyRotation,
    maxTokenSeconds: settings.lifetimes.accessToken,
    logger: deps.logger,
  });
  const storeLooks = createStoreLooks({ ...(deps.storeInfo ? { storeInfo: deps.storeInfo } : {}), clock, logger: deps.logger });
  const ctx: IdentityCtx = {
    tenancy: core.tenancy,
    keys,
    passwords: createPasswords(settings.passwords),
    settings,
    clock,
    logger: deps.logger,
    secrets: { refresh: deriveKey(deps.secret, "refresh-tokens:v1"), cookie: deriveKey(deps.secret, "sso-cookie:v1"), csrf: deriveKey(deps.secret, "csrf:v1") },
    storeLook: (ref) => storeLooks({ tenantId: ref.tenantId, slug: ref.realm }),
  };

  core.app.use(`${REALM_PATH}/*`, resolveRealm(ctx));
  core.app.route("/", discoveryRoutes(ctx));
  core.app.route("/", tokenRoutes(ctx));
  core.app.route("/", userinfoRoutes(ctx));
  core.app.route("/", authorizeRoutes(ctx));
  core.app.route("/", accountRoutes(ctx, { secret: deps.secret }));
  core.app.route("/", accountPageRoutes(ctx, { secret: deps.secret }));
  core.app.route("/", staffRoutes(ctx));
  core.app.route("/", oidcDocs());

  let timer: NodeJS.Timeout | undefined;
  const handle = core.handle({
    handlers: [tenantCreatedHandler(ctx)],
    onStart: async () => {
      const platformTrack = fileURLToPath(new URL("../migrations/platform", import.meta.url));
      await applyPlatformMigrations(deps.database, loadMigrations(platformTrack, { track: "platform" }));
      await core.tenancy.provision({ tenantId: PLATFORM_TENANT_ID, slug: PLATFORM_REALM });
      await keys.rotateKeys();
      timer = setInterval(() => {
        keys.rotateKeys().catch((err: unknown) => deps.logger.error({ err }, "signing key rotation failed"));
      }, settings.keyRotation.checkMs);
      timer.unref();
    },
    onStop: async () => {
      clearInterval(timer);
    },
  });
  return { ...handle, rotateKeys: () => keys.rotateKeys() };
}
