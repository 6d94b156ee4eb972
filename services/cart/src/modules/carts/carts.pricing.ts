import { SkuLookupResult, type PricedSku } from "@bazaar/contracts";
import type { ServiceClient } from "@bazaar/service-kit/clients";
import type { TenantContext } from "@bazaar/service-kit/tenancy";

/** Path of the catalog's internal SKU lookup (services/catalog/src/modules/internal). */
export const SKU_LOOKUP_PATH = "/internal/catalog/skus";

/** Where prices, stock and product status come from: SKU -> info, or null when not in the store. */
export type PriceLookup = (tenant: TenantContext, skus: string[]) => Promise<Map<string, PricedSku | null>>;

/** The catalog's SKU lookup, through a service client (in-process or over HTTP). */
export function catalogLookup(catalog: ServiceClient): PriceLookup {
  return async (tenant, skus) => {
    const out = new Map<string, PricedSku | null>(skus.map((s) => [s, null]));
    if (skus.length === 0) return out;
    const res = await catalog.call(SKU_LOOKUP_PATH, { method: "POST", body: { skus }, tenant, schema: SkuLookupResult });
    for (const item of res.items) out.set(item.sku, item);
    return out;
  };
}

interface Entry {
  info: PricedSku | null;
  expiresAt: number;
}

/**
 * SKU info per store, kept for `ttlMs` and dropped for a store as soon as a catalog event says its
 * catalog changed (price, stock, status, deletion): every cart read is priced with the catalog's
 * current answer without a catalog call per read. Unknown SKUs are remembered too, so a client
 * cannot make every request a catalog query. `ttlMs: 0` asks the catalog every time.
 */
export class PriceCache {
  private readonly stores = new Map<string, Map<string, Entry>>();
  /** Bumped on every invalidation: an answer fetched before a change is never stored after it. */
  private readonly generations = new Map<string, number>();
  private size = 0;

  constructor(
    private readonly lookup: PriceLookup,
    private readonly opts: { ttlMs: number; maxEntries?: number; now?: () => number },
  ) {}

  private now(): number {
    return this.opts.now?.() ?? Date.now();
  }

  async get(tenant: TenantContext, skus: string[]): Promise<Map<string, PricedSku | null>> {
    const unique = [...new Set(skus)];
    const out = new Map<string, PricedSku | null>();
    if (this.opts.ttlMs <= 0) return unique.length ? this.lookup(tenant, unique) : out;
    const now = this.now();
    const store = this.stores.get(tenant.tenantId);
    const missing: string[] = [];
    for (const sku of unique) {
      const hit = store?.get(sku);
      if (hit && hit.expiresAt > now) out.set(sku, hit.info);
      else missing.push(sku);
    }
    if (missing.length === 0) return out;
    const generation = this.generations.get(tenant.tenantId) ?? 0;
    const fetched = await this.lookup(tenant, missing);
    const keep = generation === (this.generations.get(tenant.tenantId) ?? 0);
    let target = this.stores.get(tenant.tenantId);
    if (keep && !target) this.stores.set(tenant.tenantId, (target = new Map()));
    for (const sku of missing) {
      const info = fetched.get(sku) ?? null;
      out.set(sku, info);
      if (keep && target) {
        if (!target.has(sku)) this.size++;
        target.set(sku, { info, expiresAt: now + this.opts.ttlMs });
      }
    }
    if (this.size > (this.opts.maxEntries ?? 100_000)) this.clear();
    return out;
  }

  /** Forget a store's SKUs (its catalog changed). */
  invalidate(tenantId: string): void {
    this.generations.set(tenantId, (this.generations.get(tenantId) ?? 0) + 1);
    const store = this.stores.get(tenantId);
    if (!store) return;
    this.size -= store.size;
    this.stores.delete(tenantId);
  }

  private clear(): void {
    for (const tenantId of [...this.stores.keys()]) this.invalidate(tenantId);
  }
}
