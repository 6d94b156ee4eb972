import { OrderEvents, type OrderStatus } from "@bazaar/contracts";
import { AppError } from "@bazaar/service-kit/errors";

/** Every legal step of an order; anything else is a 409. */
export const TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  created: ["stock_reserved", "cancelled"],
  stock_reserved: ["paid", "payment_pending", "payment_failed", "cancelled"],
  payment_pending: ["paid", "payment_failed", "cancelled"],
  paid: ["shipped", "cancelled", "refunded", "partially_refunded"],
  partially_refunded: ["shipped", "cancelled", "refunded", "partially_refunded"],
  shipped: ["delivered", "refunded", "partially_refunded"],
  delivered: ["refunded", "partially_refunded"],
  payment_failed: [],
  cancelled: [],
  refunded: [],
};

/** Checkout steps still running (or interrupted): what crash recovery looks for. */
export const IN_FLIGHT: readonly OrderStatus[] = ["created", "stock_reserved", "payment_pending"];

export function canTransition(from: OrderStatus, to: OrderStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function assertTransition(from: OrderStatus, to: OrderStatus): void {
  if (!canTransition(from, to)) throw new AppError("conflict", `An order that is ${from.replace(/_/g, " ")} cannot become ${to.replace(/_/g, " ")}.`);
}

/** The event a status emits when reached (checkout's intermediate steps emit none). */
export function eventFor(to: OrderStatus) {
  switch (to) {
    case "paid":
      return OrderEvents.paid;
    case "payment_failed":
      return OrderEvents.paymentFailed;
    case "cancelled":
      return OrderEvents.cancelled;
    case "delivered":
      return OrderEvents.delivered;
    default:
      return undefined;
  }
}

/** Totals in minor units: tax (basis points, rounded half up) on the subtotal; shipping flat. */
export function totals(subtotal: number, settings: { flatShipping: number; taxRateBps: number }) {
  const tax = Math.floor((subtotal * settings.taxRateBps + 5_000) / 10_000);
  const shipping = subtotal > 0 ? settings.flatShipping : 0;
  return { subtotal, shipping, tax, total: subtotal + shipping + tax };
}
