import { TenantResolution, TenantSlug } from "@bazaar/contracts";
import { UpstreamError, type ServiceClient } from "@bazaar/service-kit/clients";
import { AppError } from "@bazaar/service-kit/errors";

const HOST_RE = /^[a-z0-9.-]{1,253}$/;

/**
 * Resolves the store of a request: `X-Tenant` (a slug) first, else the host name
 * (`<slug>.<storeDomain>` or a custom domain). Raw input is validated before any lookup and never
 * reaches SQL; answers are cached briefly so a hot storefront costs no extra hop.
 */
export class TenantResolver {
  private readonly cache = new Map<string, { at: number; value: TenantResolution | AppError }>();

  constructor(private readonly opts: { tenantClient: ServiceClient; storeDomains: string[]; ttlMs?: number }) {}

  /** What the request names, or undefined when it names no store. Throws for a malformed name. */
  identify(headers: { tenant?: string | undefined; host?: string | undefined }): { slug: string } | { host: string } | undefined {
    if (headers.tenant !== undefined) {
      const parsed = TenantSlug.safeParse(headers.tenant);
      if (!parsed.success) throw new AppError("invalid_tenant", "X-Tenant must be a store slug: lowercase letters, digits and inner hyphens.");
      return { slug: parsed.data };
    }
    const host = headers.host?.toLowerCase().replace(/:\d+$/, "");
    if (!host || !HOST_RE.test(host)) return undefined;
    for (const d of this.opts.storeDomains) {
      if (host.endsWith(`.${d}`)) {
        const sub = host.slice(0, -(d.length + 1));
        const parsed = TenantSlug.safeParse(sub);
        if (!parsed.success) throw new AppError("invalid_tenant", "The host name does not name a store.");
        return { slug: parsed.data };
      }
      if (host === d) return undefined;
    }
    if (host === "127.0.0.1" || host === "[::1]") return undefined;
    return { host };
  }

  async resolve(key: { slug: string } | { host: string }): Promise<TenantResolution> {
    const k = "slug" in key ? `s:${key.slug}` : `h:${key.host}`;
    const ttl = this.opts.ttlMs ?? 5_000;
    const hit = this.cache.get(k);
    if (hit && Date.now() - hit.at < ttl) {
      if (hit.value instanceof AppError) throw hit.value;
      return hit.value;
    }
    let value: TenantResolution | AppError;
    try {
      value = await this.opts.tenantClient.call("/internal/tenants/resolve", { query: key, schema: TenantResolution });
    } catch (err) {
      if (err instanceof UpstreamError && err.upstreamStatus === 404) value = new AppError("tenant_not_found", "This store does not exist.");
      else throw err;
    }
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(k, { at: Date.now(), value });
    if (value instanceof AppError) throw value;
    return value;
  }

  invalidate(): void {
    this.cache.clear();
  }
}
