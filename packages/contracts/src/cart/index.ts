import { z } from "zod";
import { CurrencyCode } from "../common/index.ts";
import { defineEvent } from "../events/envelope.ts";
import { MinorUnits, ProductStatus, Sku } from "../catalog/index.ts";

/** Limits every cart obeys (the cart service may lower them, never raise them). */
export const CART_LIMITS = { maxLines: 100, maxQuantity: 99, maxOpsPerBatch: 200 } as const;

const CART_ID = /^cart_[0-9a-z]{26}$/;
export const CartId = z.string().regex(CART_ID, "not a cart id");

/** Units of one SKU in a cart: a whole number from 1 to the per-line limit. */
export const Quantity = z.number().int("must be a whole number").min(1, "must be at least 1").max(CART_LIMITS.maxQuantity, `at most ${CART_LIMITS.maxQuantity} per line`);

export const AddItemBody = z.object({ sku: Sku, quantity: Quantity.default(1) });
export type AddItemBody = z.infer<typeof AddItemBody>;

export const SetItemBody = z.object({ quantity: Quantity });
export type SetItemBody = z.infer<typeof SetItemBody>;

export const CartCreated = z.object({
  id: z.string(),
  /** The signed cart token (send it back as `X-Cart-Token` or the `bazaar_cart` cookie); null for a shopper's own cart. */
  token: z.string().nullable(),
});
export type CartCreated = z.infer<typeof CartCreated>;

export const LineWarning = z.enum([
  /** Nothing left to sell. */
  "out_of_stock",
  /** More in the cart than in stock (`available` says how many there are). */
  "insufficient_stock",
  /** The product is archived or back in draft: kept in the cart, not counted in the totals. */
  "product_unavailable",
  /** The SKU no longer exists in the catalog. */
  "product_gone",
  /** The unit price differs from the price when the line was last changed (`previousUnitPrice`). */
  "price_changed",
  /** Priced in another currency than the cart: not counted in the totals. */
  "currency_mismatch",
]);
export type LineWarning = z.infer<typeof LineWarning>;

export const CartLine = z.object({
  sku: Sku,
  productId: z.string().nullable(),
  slug: z.string().nullable(),
  name: z.string().nullable(),
  options: z.record(z.string(), z.string()),
  image: z.string().nullable(),
  quantity: z.number().int(),
  /** Current unit price (minor units of `currency`), null when the SKU is gone. */
  unitPrice: MinorUnits.nullable(),
  previousUnitPrice: MinorUnits.nullable(),
  currency: CurrencyCode.nullable(),
  lineTotal: z.number().int(),
  /** Units in stock now (null when the SKU is gone). */
  available: z.number().int().nullable(),
  /** Counted in the totals and checkout-able. */
  purchasable: z.boolean(),
  warnings: z.array(LineWarning),
});
export type CartLine = z.infer<typeof CartLine>;

export const Cart = z.object({
  id: z.string(),
  version: z.number().int(),
  /** Currency of the totals: the store's, as its products are priced (null while the cart is empty). */
  currency: CurrencyCode.nullable(),
  lines: z.array(CartLine),
  totals: z.object({
    /** Units across purchasable lines. */
    quantity: z.number().int(),
    /** Sum of purchasable line totals, minor units. */
    subtotal: z.number().int(),
  }),
  /** True when some line has a warning. */
  hasWarnings: z.boolean(),
  /** A shopper's cart (true) or a guest cart reached with its token (false). */
  owned: z.boolean(),
  updatedAt: z.string().datetime(),
  expiresAt: z.string().datetime(),
});
export type Cart = z.infer<typeof Cart>;

/** One operation made while offline; `at` is the client's clock (ms since epoch or ISO date-time). */
export const CartOp = z
  .object({
    opId: z.string().min(1).max(100).regex(/^[A-Za-z0-9._:-]+$/, "letters, digits and . _ : - only"),
    kind: z.enum(["add", "set", "remove"]),
    sku: Sku,
    quantity: Quantity.optional(),
    at: z.union([z.number().int().min(0).max(8.64e15), z.iso.datetime({ offset: true })]),
    /** The unit price the client showed, if any: a different current price is reported. */
    unitPrice: MinorUnits.optional(),
  })
  .superRefine((op, ctx) => {
    if (op.kind !== "remove" && op.quantity === undefined) ctx.addIssue({ code: "custom", path: ["quantity"], message: `required for ${op.kind}` });
  });
export type CartOp = z.infer<typeof CartOp>;

export const CartOpsBody = z.object({ ops: z.array(CartOp).min(1).max(CART_LIMITS.maxOpsPerBatch) });
export type CartOpsBody = z.infer<typeof CartOpsBody>;

export const OpStatus = z.enum([
  "applied",
  /** This opId was applied before (an earlier batch or earlier in this one): nothing changed. */
  "duplicate",
  /** Applied with a lower quantity: stock or the per-line limit. */
  "capped",
  /** The SKU is gone or its product not for sale: nothing changed. */
  "product_gone",
  /** Not applied: the cart already has the most lines allowed. */
  "rejected",
]);
export type OpStatus = z.infer<typeof OpStatus>;

export const OpResult = z.object({
  opId: z.string(),
  status: OpStatus,
  /** The line's quantity after this op (0 = no line). */
  quantity: z.number().int(),
  /** The quantity the op asked for, when capped. */
  requested: z.number().int().nullable(),
  /** True when the current price differs from the one the client sent (`unitPrice`). */
  priceChanged: z.boolean(),
  unitPrice: MinorUnits.nullable(),
  detail: z.string().nullable(),
});
export type OpResult = z.infer<typeof OpResult>;

export const CartOpsResult = z.object({ cart: Cart, results: z.array(OpResult) });
export type CartOpsResult = z.infer<typeof CartOpsResult>;

export const MergeStatus = z.enum(["added", "summed", "capped", "product_gone", "rejected"]);
export const MergeChange = z.object({
  sku: Sku,
  status: MergeStatus,
  /** Units in the guest cart. */
  guestQuantity: z.number().int(),
  /** Units in the shopper's cart before the merge. */
  previousQuantity: z.number().int(),
  /** Units after the merge. */
  quantity: z.number().int(),
  unitPrice: MinorUnits.nullable(),
  /** The price the guest saw, when it differs from today's. */
  previousUnitPrice: MinorUnits.nullable(),
});
export type MergeChange = z.infer<typeof MergeChange>;

export const CartMergeResult = z.object({ cart: Cart, changes: z.array(MergeChange), guestCartId: z.string() });
export type CartMergeResult = z.infer<typeof CartMergeResult>;

// ---------------------------------------------------------------------------------------------
// Pricing source: the catalog's internal SKU lookup the cart prices lines with.

export const SkuLookupBody = z.object({ skus: z.array(Sku).min(1).max(2 * CART_LIMITS.maxLines) });
export type SkuLookupBody = z.infer<typeof SkuLookupBody>;

export const PricedSku = z.object({
  sku: Sku,
  productId: z.string(),
  slug: z.string(),
  name: z.string(),
  options: z.record(z.string(), z.string()),
  image: z.string().nullable(),
  price: MinorUnits,
  currency: CurrencyCode,
  stock: z.number().int(),
  status: ProductStatus,
});
export type PricedSku = z.infer<typeof PricedSku>;

/** SKUs not in the store are absent from `items`. */
export const SkuLookupResult = z.object({ items: z.array(PricedSku) });
export type SkuLookupResult = z.infer<typeof SkuLookupResult>;

// ---------------------------------------------------------------------------------------------
// Behaviour events (topic `behavior`), for recommendations.

const cartItemEvent = z.object({
  cartId: z.string(),
  sku: z.string(),
  /** Null when the SKU had already left the catalog (a removal of a gone line). */
  productId: z.string().nullable(),
  /** Units added or removed by this change (always positive). */
  quantity: z.number().int().positive(),
  /** The signed-in shopper (account subject), null for a guest cart. */
  shopperId: z.string().nullable(),
  /** When the change was applied (server clock). */
  at: z.string().datetime(),
});

export const CartEvents = {
  itemAdded: defineEvent({ type: "cart.item.added", version: 1, topic: "behavior", schema: cartItemEvent }),
  itemRemoved: defineEvent({ type: "cart.item.removed", version: 1, topic: "behavior", schema: cartItemEvent }),
};
