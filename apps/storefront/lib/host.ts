/** Where a request's store comes from: a slug we could read off the host, or the raw host. */
export type StoreRef = { slug: string } | { host: string };

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "::1", "0.0.0.0"]);
const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** `Acme.localhost:3000` -> `acme.localhost`; `[::1]:3000` -> `::1`. */
export function hostname(hostHeader: string): string {
  const host = hostHeader.trim().toLowerCase();
  if (host.startsWith("[")) return host.slice(1, host.indexOf("]") > 0 ? host.indexOf("]") : undefined);
  return host.replace(/:\d+$/, "").replace(/\.$/, "");
}

/**
 * `acme.localhost` and `acme.<baseDomain>` name the store `acme`; a plain local host (or the
 * base domain itself) shows the default store; any other host is a custom domain, which the
 * gateway resolves.
 */
export function storeFromHost(hostHeader: string | null, opts: { baseDomain: string | null; defaultStore: string }): StoreRef {
  const host = hostname(hostHeader ?? "");
  if (host === "" || LOCAL_HOSTS.has(host) || host === opts.baseDomain) return { slug: opts.defaultStore };
  for (const suffix of ["localhost", opts.baseDomain]) {
    if (suffix && host.endsWith(`.${suffix}`)) {
      const label = host.slice(0, -(suffix.length + 1)).split(".")[0] ?? "";
      if (SLUG.test(label)) return { slug: label };
    }
  }
  return { host };
}

/**
 * Whether shoppers can sign in on this host: the identity provider accepts the `storefront`
 * client's redirects back to `<slug>.localhost` / `<slug>.<baseDomain>` only, not to a plain local
 * host showing the default store or to a custom domain.
 */
export function canSignInOn(hostHeader: string | null, slug: string, baseDomain: string | null): boolean {
  const host = hostname(hostHeader ?? "");
  return host === `${slug}.localhost` || (baseDomain !== null && host === `${slug}.${baseDomain}`);
}
