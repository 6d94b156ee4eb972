import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { Notice, ProductCard, themeStyle } from "@bazaar/ui";
import { AuthProvider } from "@bazaar/ui/auth";
import { loadConfig } from "../lib/config";
import { canSignInOn } from "../lib/host";
import { describeError, getStore, getStoreClient, refLabel } from "../lib/store";
import { ShopperSession } from "./shopper-session";
import { StoreMessage } from "./store-message";

export const dynamic = "force-dynamic";

const PAGE_SIZE = 24;

export default async function Home({ searchParams }: { searchParams: Promise<{ cursor?: string | string[] }> }) {
  const result = await getStore();
  if (result.kind !== "ok") {
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

  const { store } = result;
  const { cursor } = await searchParams;
  const { api } = await getStoreClient();
  const products = await api
    .products({ limit: PAGE_SIZE, cursor: typeof cursor === "string" ? cursor : undefined })
    .then((page) => ({ ok: true as const, page }))
    .catch((err: unknown) => ({ ok: false as const, detail: describeError(err).detail }));

  // Shoppers sign in to the store's own realm (named by its slug) with the `storefront` client.
  const config = loadConfig();
  const h = await headers();
  const signIn = canSignInOn(h.get("x-forwarded-host") ?? h.get("host"), store.slug, config.baseDomain);
  const auth = { url: config.authUrl, realm: store.slug, clientId: "storefront" };
  return (
    <AuthProvider config={auth}>
      <div className="store" style={themeStyle(store.theme)}>
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
            <div className="store__actions">
              <span className="store__currency">{store.currency}</span>
              {signIn ? <ShopperSession /> : null}
            </div>
          </div>
        </header>

        <section className="store__hero">
          <h1>{store.name}</h1>
          <p>Fresh picks, fair prices, delivered to your door.</p>
        </section>

        <main className="store__main">
          <h2 className="store__section-title">Products</h2>
          {!products.ok ? (
            <Notice title="Products are unavailable right now" tone="warning">
              <p>Please try again in a moment.</p>
            </Notice>
          ) : products.page.items.length === 0 ? (
            <Notice title="No products yet">
              <p>This store hasn&rsquo;t listed anything yet. Check back soon.</p>
            </Notice>
          ) : (
            <>
              <div className="store__grid">
                {products.page.items.map((p) => (
                  <ProductCard key={p.id} product={p} />
                ))}
              </div>
              {products.page.nextCursor ? (
                <nav className="store__pager">
                  <a href={`/?cursor=${encodeURIComponent(products.page.nextCursor)}`}>More products →</a>
                </nav>
              ) : null}
            </>
          )}
        </main>

        <footer className="store__footer">
          © {store.name} · Powered by Bazaar
        </footer>
      </div>
    </AuthProvider>
  );
}
