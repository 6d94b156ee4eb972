import { API_AUDIENCE, PLATFORM_REALM, Role } from "@bazaar/contracts";

export interface KeycloakAdminOptions {
  /** Base URL of Keycloak (17+, no `/auth` prefix), e.g. https://sso.example.com */
  url: string;
  adminUser: string;
  adminPassword: string;
  /** Realm of the admin account (default `master`). */
  adminRealm?: string;
  /** For tests: where requests go instead of the network. */
  fetch?: (req: Request) => Promise<Response>;
}

export interface RealmClient {
  clientId: string;
  /** Origins allowed to redirect back to and to call the token endpoint from the browser. */
  origins: string[];
}

export class KeycloakError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = "KeycloakError";
  }
}

/**
 * Creates and updates realms, roles and clients through Keycloak's admin REST API, so that with
 * KEYCLOAK_URL set a new store gets the same realm it would get from the built-in provider:
 * realm = store slug, realm roles = Bazaar's roles, public PKCE clients `storefront` and `admin`,
 * and an audience mapper so access tokens carry `bazaar-api` (the gateway requires it).
 */
export class KeycloakAdmin {
  private token: { value: string; until: number } | undefined;
  private readonly base: string;
  private readonly send: (req: Request) => Promise<Response>;

  constructor(private readonly opts: KeycloakAdminOptions) {
    this.base = opts.url.replace(/\/+$/, "");
    this.send = opts.fetch ?? ((req) => fetch(req));
  }

  private async accessToken(): Promise<string> {
    if (this.token && this.token.until > Date.now()) return this.token.value;
    const res = await this.send(
      new Request(`${this.base}/realms/${this.opts.adminRealm ?? "master"}/protocol/openid-connect/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "password", client_id: "admin-cli", username: this.opts.adminUser, password: this.opts.adminPassword }),
      }),
    );
    if (!res.ok) throw new KeycloakError(res.status, `Keycloak admin login failed (${res.status})`);
    const body = (await res.json()) as { access_token: string; expires_in: number };
    this.token = { value: body.access_token, until: Date.now() + Math.max(10, body.expires_in - 10) * 1000 };
    return body.access_token;
  }

  private async call(method: string, path: string, body?: unknown): Promise<Response> {
    const res = await this.send(
      new Request(`${this.base}/admin/realms${path}`, {
        method,
        headers: { authorization: `Bearer ${await this.accessToken()}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
    );
    if (!res.ok && res.status !== 404 && res.status !== 409) throw new KeycloakError(res.status, `Keycloak ${method} ${path} answered ${res.status}`);
    return res;
  }

  /** Create the realm, its roles and clients if missing; bring clients' URIs up to date. Idempotent. */
  async ensureRealm(realm: string, clients: RealmClient[]): Promise<void> {
    const r = encodeURIComponent(realm);
    if ((await this.call("GET", `/${r}`)).status === 404) {
      await this.call("POST", "", {
        realm,
        enabled: true,
        registrationAllowed: realm !== PLATFORM_REALM,
        resetPasswordAllowed: true,
        verifyEmail: realm !== PLATFORM_REALM,
        bruteForceProtected: true,
        failureFactor: 5,
        accessTokenLifespan: 300,
      });
    }
    const roles = realm === PLATFORM_REALM ? ["operator"] : Role.options.filter((x) => x !== "operator");
    for (const name of roles) {
      if ((await this.call("GET", `/${r}/roles/${encodeURIComponent(name)}`)).status === 404) await this.call("POST", `/${r}/roles`, { name });
    }
    for (const c of clients) {
      const origins = c.origins.map((o) => o.replace(/\/+$/, ""));
      const representation = {
        clientId: c.clientId,
        publicClient: true,
        standardFlowEnabled: true,
        directAccessGrantsEnabled: true,
        redirectUris: origins.map((o) => `${o}/*`),
        webOrigins: origins,
        attributes: { "pkce.code.challenge.method": "S256", "post.logout.redirect.uris": origins.map((o) => `${o}/*`).join("##") },
        protocolMappers: [
          {
            name: `${API_AUDIENCE} audience`,
            protocol: "openid-connect",
            protocolMapper: "oidc-audience-mapper",
            config: { "included.custom.audience": API_AUDIENCE, "access.token.claim": "true", "id.token.claim": "false" },
          },
        ],
      };
      const found = (await (await this.call("GET", `/${r}/clients?clientId=${encodeURIComponent(c.clientId)}`)).json()) as { id: string }[];
      if (found[0]) await this.call("PUT", `/${r}/clients/${found[0].id}`, { ...representation, id: found[0].id });
      else await this.call("POST", `/${r}/clients`, representation);
    }
  }

  async deleteRealm(realm: string): Promise<void> {
    await this.call("DELETE", `/${encodeURIComponent(realm)}`);
  }
}
