import { sql } from "drizzle-orm";
import type { PricedSku } from "@bazaar/contracts";
import type { Tenancy } from "@bazaar/service-kit/tenancy";

type SkuRow = {
  sku: string;
  product_id: string;
  slug: string;
  name: string;
  options: Record<string, string>;
  image: string | null;
  price: string | number;
  currency: string;
  stock: number;
  status: PricedSku["status"];
};

/**
 * Price, stock and product status of each SKU the cart holds, in one statement. SKUs that are not
 * in this store are simply absent; drafts and archived products are returned with their status so
 * the cart can flag them instead of dropping them.
 */
export async function lookupSkus(tenancy: Tenancy, tenantId: string, skus: string[]): Promise<PricedSku[]> {
  const rows = await tenancy.read<SkuRow>(
    tenantId,
    (t) => sql`
      select v.sku, p.id as product_id, p.slug, p.name, v.options, p.images->0->>'url' as image,
             v.price_amount as price, p.currency, v.stock, p.status
      from ${t("variants")} v join ${t("products")} p on p.id = v.product_id
      where v.sku = any(${sql.param([...new Set(skus)])}::text[])`,
  );
  return rows.map((r) => ({
    sku: r.sku,
    productId: r.product_id,
    slug: r.slug,
    name: r.name,
    options: r.options,
    image: r.image,
    price: Number(r.price),
    currency: r.currency,
    stock: r.stock,
    status: r.status,
  }));
}
