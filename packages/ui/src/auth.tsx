"use client";

import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import type Keycloak from "keycloak-js";

/**
 * Browser sign-in with keycloak-js against Bazaar's OIDC provider (Keycloak's paths on the gateway,
 * `<PUBLIC_URL>/auth/realms/<realm>`): authorization code with PKCE S256, tokens kept in memory
 * only, refreshed (rotating refresh token) before each API call.
 *
 * Nothing is stored but a "was signed in" flag in sessionStorage: after a reload it makes init do
 * one `check-sso` round trip (prompt=none) to the provider, which answers from its SSO cookie. The
 * provider has no login-status iframe and no 3p-cookie check pages, so `checkLoginIframe` is off
 * and silent (iframe) check-sso is not used.
 */

export interface AuthConfig {
  /** keycloak-js `url`: the gateway's public origin + `/auth`, e.g. `http://localhost:8080/auth`. */
  url: string;
  /** `platform` for operators, a store's slug for its staff and shoppers. */
  realm: string;
  clientId: string;
}

export interface AuthUser {
  /** Account id (`sub`). */
  id: string;
  email: string;
  name: string | null;
  roles: string[];
}

export type AuthState =
  | { status: "loading" }
  | { status: "signed-out"; error?: string }
  | { status: "signed-in"; user: AuthUser };

export interface Auth {
  state: AuthState;
  /** Redirect to the provider's login page; back here afterwards. */
  signIn(): void;
  /** End the provider session and come back to `returnTo` (default: the site's root). */
  signOut(returnTo?: string): void;
  /** An access token with at least 30 s left, refreshed first when needed. Rejects when signed out. */
  accessToken(): Promise<string>;
}

const AuthContext = createContext<Auth | null>(null);

const flagKey = (c: AuthConfig) => `bazaar-auth:${c.realm}:${c.clientId}`;

function storage(): Storage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    return undefined; // storage disabled
  }
}

/** One keycloak-js instance per config and page: it may be initialised only once (React dev mode runs effects twice). */
const instances = new Map<string, { kc: Keycloak; init: Promise<boolean> }>();

async function instance(config: AuthConfig): Promise<{ kc: Keycloak; init: Promise<boolean> }> {
  const key = `${config.url}|${config.realm}|${config.clientId}`;
  const existing = instances.get(key);
  if (existing) return existing;
  const { default: KeycloakCtor } = await import("keycloak-js");
  const again = instances.get(key);
  if (again) return again;
  const kc = new KeycloakCtor({ url: config.url, realm: config.realm, clientId: config.clientId });
  const remembered = storage()?.getItem(flagKey(config)) === "1";
  // Consume the flag before a check-sso redirect: if that round trip fails, the next load does not loop.
  if (remembered) storage()?.removeItem(flagKey(config));
  const init = kc.init({
    pkceMethod: "S256",
    checkLoginIframe: false,
    responseMode: "fragment",
    ...(remembered ? { onLoad: "check-sso" as const } : {}),
  });
  const entry = { kc, init };
  instances.set(key, entry);
  return entry;
}

function userOf(kc: Keycloak): AuthUser {
  const t = (kc.tokenParsed ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : null);
  return {
    id: str(t.sub) ?? "",
    email: str(t.email) ?? str(t.preferred_username) ?? "",
    name: str(t.name),
    roles: kc.realmAccess?.roles ?? [],
  };
}

function describe(err: unknown): string {
  if (err && typeof err === "object" && "error" in err) {
    const e = err as { error?: unknown; error_description?: unknown };
    return typeof e.error_description === "string" && e.error_description ? e.error_description : String(e.error);
  }
  return err instanceof Error ? err.message : String(err);
}

export function AuthProvider({ config, children }: { config: AuthConfig; children: ReactNode }) {
  const [state, setState] = useState<AuthState>({ status: "loading" });
  const kcRef = useRef<Keycloak | null>(null);
  const { url, realm, clientId } = config;

  useEffect(() => {
    let live = true;
    const cfg = { url, realm, clientId };
    const signedOut = (error?: string) => {
      storage()?.removeItem(flagKey(cfg));
      if (live) setState(error ? { status: "signed-out", error } : { status: "signed-out" });
    };
    instance(cfg)
      .then(async ({ kc, init }) => {
        kcRef.current = kc;
        kc.onAuthRefreshSuccess = () => live && setState({ status: "signed-in", user: userOf(kc) });
        kc.onAuthRefreshError = () => {
          // keycloak-js clears the tokens when the provider refused the refresh token (session over).
          if (!kc.token) signedOut("Your session has ended. Please sign in again.");
        };
        const authenticated = await init;
        if (!authenticated) return signedOut();
        storage()?.setItem(flagKey(cfg), "1");
        if (live) setState({ status: "signed-in", user: userOf(kc) });
      })
      .catch((err: unknown) => signedOut(`Sign-in failed: ${describe(err)}`));
    return () => {
      live = false;
    };
  }, [url, realm, clientId]);

  const signIn = useCallback(() => {
    const kc = kcRef.current;
    if (!kc) return;
    const back = new URL(window.location.href);
    back.hash = "";
    void kc.login({ redirectUri: back.toString() });
  }, []);

  const signOut = useCallback(
    (returnTo?: string) => {
      storage()?.removeItem(flagKey({ url, realm, clientId }));
      const kc = kcRef.current;
      if (!kc) return;
      void kc.logout({ redirectUri: returnTo ?? `${window.location.origin}/` });
    },
    [url, realm, clientId],
  );

  const accessToken = useCallback(async () => {
    const kc = kcRef.current;
    if (!kc?.authenticated || !kc.token) throw new Error("Not signed in.");
    await kc.updateToken(30);
    if (!kc.token) throw new Error("Your session has ended. Please sign in again.");
    return kc.token;
  }, []);

  const auth = useMemo<Auth>(() => ({ state, signIn, signOut, accessToken }), [state, signIn, signOut, accessToken]);
  return <AuthContext.Provider value={auth}>{children}</AuthContext.Provider>;
}

/** The sign-in state of the nearest `AuthProvider`. */
export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error("useAuth must be used inside <AuthProvider>");
  return auth;
}
