import { z } from "zod";
import { CurrencyCode } from "../common/index.ts";
import { defineEvent } from "../events/envelope.ts";
import { CartId } from "../cart/index.ts";
import { NextAction, PaymentMethod, PaymentStatus } from "../payment/index.ts";

/**
 * An order's lifecycle. `created` and `stock_reserved` are checkout steps (stored, so a restart
 * resumes them); `payment_pending` waits for the shopper (3-D Secure and the like).
 */
export const OrderStatus = z.enum([
  "created",
  "stock_reserved",
  "payment_pending",
  "paid",
  "payment_failed",
  "cancelled",
  "shipped",
  "delivered",
  "refunded",
  "partially_refunded",
]);
export type OrderStatus = z.infer<typeof OrderStatus>;

export const ShippingAddress = z.object({
  name: z.string().trim().min(1).max(200),
  line1: z.string().trim().min(1).max(200),
  line2: z.string().trim().max(200).optional(),
  city: z.string().trim().min(1).max(100),
  region: z.string().trim().max(100).optional(),
  postalCode: z.string().trim().min(1).max(20),
  country: z.string().regex(/^[A-Z]{2}$/, "ISO 3166-1 alpha-2 code, e.g. US"),
  phone: z.string().trim().max(40).optional(),
});
export type ShippingAddress = z.infer<typeof ShippingAddress>;

/** `POST /api/v1/checkout` (with an `Idempotency-Key` header; the guest cart's token as `X-Cart-Token`). */
export const CheckoutBody = z.object({
  cartId: CartId,
  email: z.email().max(254),
  shippingAddress: ShippingAddress,
  paymentMethod: PaymentMethod,
});
export type CheckoutBody = z.infer<typeof CheckoutBody>;

export const CheckoutResult = z.object({
  orderId: z.string(),
  orderNumber: z.string(),
  status: OrderStatus,
  /** A signed token letting a guest read this order (`GET /api/v1/orders/{id}` with `X-Order-Token`). */
  accessToken: z.string(),
  payment: z
    .object({ id: z.string().nullable(), status: PaymentStatus.nullable(), failureCode: z.string().nullable(), nextAction: NextAction.nullable() })
    .nullable(),
});
export type CheckoutResult = z.infer<typeof CheckoutResult>;

export const OrderLine = z.object({
  sku: z.string(),
  productId: z.string().nullable(),
  name: z.string(),
  unitPrice: z.number().int(),
  quantity: z.number().int(),
  lineTotal: z.number().int(),
});
export type OrderLine = z.infer<typeof OrderLine>;

export const OrderTransition = z.object({ from: z.string().nullable(), to: OrderStatus, reason: z.string().nullable(), actor: z.string(), at: z.string() });

export const Order = z.object({
  id: z.string(),
  number: z.string(),
  status: OrderStatus,
  currency: CurrencyCode,
  subtotal: z.number().int(),
  shipping: z.number().int(),
  tax: z.number().int(),
  total: z.number().int(),
  refundedAmount: z.number().int(),
  email: z.string(),
  shippingAddress: ShippingAddress,
  lines: z.array(OrderLine),
  paymentId: z.string().nullable(),
  carrier: z.string().nullable(),
  trackingNumber: z.string().nullable(),
  /** Why the order is cancelled or its payment failed. */
  reason: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Order = z.infer<typeof Order>;

export const OrderDetail = Order.extend({ history: z.array(OrderTransition) });
export type OrderDetail = z.infer<typeof OrderDetail>;
/** `GET /internal/orders/{id}` (other services, e.g. notifications): the order and the signed-in shopper who placed it. */
export const InternalOrder = OrderDetail.extend({ customerId: z.string().nullable() });
export type InternalOrder = z.infer<typeof InternalOrder>;

export const OrderPage = z.object({ items: z.array(Order), nextCursor: z.string().nullable() });

export const OrderListQuery = z.object({
  status: OrderStatus.optional(),
  /** ISO date-times bounding `createdAt`. */
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().regex(/^ord_[0-9a-z]{26}$/, "not a cursor").optional(),
});

export const ShipBody = z.object({ carrier: z.string().trim().min(1).max(100), trackingNumber: z.string().trim().min(1).max(100) });
export const RefundOrderBody = z.object({ amount: z.number().int().min(1).max(100_000_000_000).optional() });
export const CancelOrderBody = z.object({ reason: z.string().trim().min(1).max(200).optional() });

/** Per store: a flat shipping rate (minor units) and a tax rate in basis points (825 = 8.25 %). */
export const OrderSettings = z.object({
  flatShipping: z.number().int().min(0).max(100_000_000),
  taxRateBps: z.number().int().min(0).max(10_000),
});
export type OrderSettings = z.infer<typeof OrderSettings>;

/** Every order event carries the shopper's email, so a listener (notifications) can answer without asking back. */
const orderEvent = z.object({ orderId: z.string(), number: z.string(), status: OrderStatus, total: z.number().int(), currency: z.string(), email: z.string(), reason: z.string().optional() });

/** Events on the `orders` topic, keyed `tenantId:orderId`. */
export const OrderEvents = {
  created: defineEvent({ type: "order.order.created", version: 1, topic: "orders", schema: orderEvent }),
  paid: defineEvent({ type: "order.order.paid", version: 1, topic: "orders", schema: orderEvent }),
  paymentFailed: defineEvent({ type: "order.order.payment_failed", version: 1, topic: "orders", schema: orderEvent }),
  cancelled: defineEvent({ type: "order.order.cancelled", version: 1, topic: "orders", schema: orderEvent }),
  shipped: defineEvent({ type: "order.order.shipped", version: 1, topic: "orders", schema: orderEvent.extend({ carrier: z.string(), trackingNumber: z.string() }) }),
  delivered: defineEvent({ type: "order.order.delivered", version: 1, topic: "orders", schema: orderEvent }),
  refunded: defineEvent({ type: "order.order.refunded", version: 1, topic: "orders", schema: orderEvent.extend({ refundedAmount: z.number().int() }) }),
};
