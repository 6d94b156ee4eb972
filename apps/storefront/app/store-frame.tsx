import type { ReactNode } from "react";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { themeStyle } from "@bazaar/ui";
import { AuthProvider } from "@bazaar/ui/auth";
import { loadConfig } from "../lib/config";
import { canSignInOn } from "../lib/host";
import { refLabel, type StoreResult } from "../lib/store";
import { SearchBox } from "./search-box";
import { ShopperSession } from "./shopper-session";
import { StoreMessage } from "./store-message";

export type Store = Extract<StoreResult, { kind: "ok" }>["store"];

/** The page for a store that cannot be shown: 404 for an unknown one, a message otherwise. */
export function StoreUnavailable({ result }: { result: Exclude<StoreResult, { kind: "ok" }> }) {
  if (result.kind === "not-found") notFound();
  return result.kind === "suspended" ? (
    <StoreMessage title="This store is closed for now" tone="warning">
      <p>
        <strong>{refLabel(result.ref)}</strong> is temporarily unavailable. Please come back later.
      </p>
    </StoreMessage>
  ) : (
    <StoreMessage title="We can't reach the store right now" tone="danger">
      <p>The shop is taking a short break. Please try again in a moment.</p>
      <p className="message-page__detail">
        Store <code>{refLabel(result.ref)}</code>: {result.detail}
      </p>
    </StoreMessage>
  );
}

/** Every store page: the store's theme, a header with search and sign-in, the footer. */
export async function StoreFrame({ store, query, children }: { store: Store; query?: string; children: ReactNode }) {
  // Shoppers sign in to the store's own realm (named by its slug) with the `storefront` client.
  const config = loadConfig();
  const h = await headers();
  const signIn = canSignInOn(h.get("x-forwarded-host") ?? h.get("host"), store.slug, config.baseDomain);
  const auth = { url: config.authUrl, realm: store.slug, clientId: "storefront" };
  return (
    <AuthProvider config={auth}>
      <div className="store" style={themeStyle(store.theme)}>
        <a className="skip-link" href="#content">
          Skip to content
        </a>
        <header className="store__header">
          <div className="store__bar">
            <a className="store__brand" href="/">
              {store.logoUrl ? (
                <img className="store__logo" src={store.logoUrl} alt="" />
              ) : (
                <span className="store__monogram" aria-hidden="true">
                  {store.name.charAt(0).toUpperCase()}
                </span>
              )}
              <span>{store.name}</span>
            </a>
            {/* Keyed by the search text: a new page's text replaces what was typed. */}
            <SearchBox key={query ?? ""} defaultValue={query ?? ""} />
            <div className="store__actions">
              <span className="store__currency">{store.currency}</span>
              {signIn ? <ShopperSession /> : null}
            </div>
          </div>
        </header>
        {children}
        <footer className="store__footer">© {store.name} · Powered by Bazaar</footer>
      </div>
    </AuthProvider>
  );
}
