import type { Cart, CartLine, LineWarning, PricedSku } from "@bazaar/contracts";
import type { StoredCart } from "./carts.store.ts";

/** Whether a SKU can be put in a cart now: known, its product active, something in stock. */
export const purchasable = (info: PricedSku | null | undefined): info is PricedSku => Boolean(info && info.status === "active" && info.stock > 0);

/**
 * A stored cart priced with the catalog's current answer. Lines keep their order; nothing is
 * dropped: a line whose SKU is gone, whose product is not active or out of stock, or priced in
 * another currency is flagged and left out of the totals. Money is integer minor units.
 */
export function priceCart(cart: StoredCart, prices: Map<string, PricedSku | null>, expiresAt: number): Cart {
  const known = cart.lines.map((l) => prices.get(l.sku)).filter((p): p is PricedSku => Boolean(p));
  const currency = (known.find((p) => purchasable(p)) ?? known[0])?.currency ?? null;
  let quantity = 0;
  let subtotal = 0;
  const lines = cart.lines.map((line): CartLine => {
    const info = prices.get(line.sku) ?? null;
    const warnings: LineWarning[] = [];
    if (!info) {
      warnings.push("product_gone");
      return {
        sku: line.sku,
        productId: null,
        slug: null,
        name: null,
        options: {},
        image: null,
        quantity: line.quantity,
        unitPrice: null,
        previousUnitPrice: line.seenPrice,
        currency: null,
        lineTotal: 0,
        available: null,
        purchasable: false,
        warnings,
      };
    }
    if (info.status !== "active") warnings.push("product_unavailable");
    if (info.stock <= 0) warnings.push("out_of_stock");
    else if (line.quantity > info.stock) warnings.push("insufficient_stock");
    const changed = line.seenPrice !== null && line.seenPrice !== info.price;
    if (changed) warnings.push("price_changed");
    if (currency && info.currency !== currency) warnings.push("currency_mismatch");
    const ok = purchasable(info) && info.currency === currency;
    const lineTotal = info.price * line.quantity;
    if (ok) {
      quantity += line.quantity;
      subtotal += lineTotal;
    }
    return {
      sku: line.sku,
      productId: info.productId,
      slug: info.slug,
      name: info.name,
      options: info.options,
      image: info.image,
      quantity: line.quantity,
      unitPrice: info.price,
      previousUnitPrice: changed ? line.seenPrice : null,
      currency: info.currency,
      lineTotal,
      available: info.stock,
      purchasable: ok,
      warnings,
    };
  });
  return {
    id: cart.id,
    version: cart.version,
    currency,
    lines,
    totals: { quantity, subtotal },
    hasWarnings: lines.some((l) => l.warnings.length > 0),
    owned: cart.owner !== "",
    updatedAt: new Date(cart.updatedAt).toISOString(),
    expiresAt: new Date(expiresAt).toISOString(),
  };
}
