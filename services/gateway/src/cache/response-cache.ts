/**
 * A small shared cache for public storefront reads (product pages, listings): responses a service
 * marks `Cache-Control: public, s-maxage=N` are kept per tenant for up to N seconds and dropped as
 * soon as that tenant's catalog changes (catalog events reach the gateway through the bus). A hit
 * costs no hop to a service and no SQL.
 */
export interface CachedResponse {
  status: number;
  headers: [string, string][];
  body: Uint8Array;
  etag: string | null;
  expiresAt: number;
}

const SMAXAGE = /(?:^|,)\s*s-maxage=(\d+)/i;

export class ResponseCache {
  private readonly byTenant = new Map<string, Map<string, CachedResponse>>();
  /** Bumped on every invalidation, so a response fetched before a change is never stored after it. */
  private readonly generations = new Map<string, number>();
  private size = 0;

  constructor(private readonly opts: { maxEntries?: number; now?: () => number } = {}) {}

  private now(): number {
    return this.opts.now?.() ?? Date.now();
  }

  get(tenantId: string, key: string): CachedResponse | undefined {
    const tenant = this.byTenant.get(tenantId);
    const entry = tenant?.get(key);
    if (!tenant || !entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      tenant.delete(key);
      this.size--;
      return undefined;
    }
    return entry;
  }

  /** Seconds a response may be shared, or 0 when it must not be cached. */
  static sharedMaxAge(res: Response): number {
    const cc = res.headers.get("cache-control") ?? "";
    if (res.status !== 200 || !/\bpublic\b/i.test(cc) || /\b(private|no-store)\b/i.test(cc) || res.headers.has("set-cookie")) return 0;
    return Number(cc.match(SMAXAGE)?.[1] ?? 0);
  }

  generation(tenantId: string): number {
    return this.generations.get(tenantId) ?? 0;
  }

  /** Store a response fetched when the tenant's generation was `generation` (skipped if it moved on). */
  async put(tenantId: string, key: string, res: Response, maxAgeS: number, generation: number): Promise<CachedResponse> {
    const body = new Uint8Array(await res.arrayBuffer());
    const entry: CachedResponse = {
      status: res.status,
      headers: [...res.headers.entries()],
      body,
      etag: res.headers.get("etag"),
      expiresAt: this.now() + maxAgeS * 1000,
    };
    if (generation !== this.generation(tenantId)) return entry;
    let tenant = this.byTenant.get(tenantId);
    if (!tenant) this.byTenant.set(tenantId, (tenant = new Map()));
    if (!tenant.has(key)) this.size++;
    tenant.set(key, entry);
    if (this.size > (this.opts.maxEntries ?? 20_000)) this.evict();
    return entry;
  }

  /** Forget everything cached for a tenant (its catalog changed). */
  invalidate(tenantId: string): void {
    this.generations.set(tenantId, this.generation(tenantId) + 1);
    const tenant = this.byTenant.get(tenantId);
    if (!tenant) return;
    this.size -= tenant.size;
    this.byTenant.delete(tenantId);
  }

  /** Drop the oldest tenants' entries first (Map iteration is insertion order). */
  private evict(): void {
    const limit = (this.opts.maxEntries ?? 20_000) * 0.9;
    for (const [tenantId, tenant] of this.byTenant) {
      if (this.size <= limit) return;
      this.size -= tenant.size;
      this.byTenant.delete(tenantId);
    }
  }

  get entries(): number {
    return this.size;
  }
}
