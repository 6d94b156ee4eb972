import type { OrderEvents} from "@bazaar/contracts";
import { IdentityEvents, InventoryEvents, type EventData, type NotificationTemplateKey, type OrderDetail } from "@bazaar/contracts";
import { formatMoney } from "../../lib/money.ts";

/** Who a message goes to on each channel (null: not on that channel). */
export interface Audience {
  email: string | null;
  phone: string | null;
  /** Push goes to the browsers of the signed-in shopper with this email. */
  pushEmail: string | null;
}

export interface MessageContext {
  vars: Record<string, unknown>;
  audience: Audience;
}

type OrderEventData = EventData<typeof OrderEvents.paid> & Partial<EventData<typeof OrderEvents.shipped>> & { email?: string; refundedAmount?: number };

/** Template variables of an order: money formatted for display from integer minor units. */
export function orderVars(event: OrderEventData, order: OrderDetail | undefined): Record<string, unknown> {
  const currency = order?.currency ?? event.currency;
  const fmt = (minor: number | undefined) => (minor === undefined ? "" : formatMoney(minor, currency));
  return {
    number: event.number,
    status: event.status,
    email: order?.email ?? event.email ?? "",
    currency,
    lines: (order?.lines ?? []).map((l) => ({ name: l.name, sku: l.sku, quantity: l.quantity, unitPrice: fmt(l.unitPrice), lineTotal: fmt(l.lineTotal) })),
    subtotal: fmt(order?.subtotal),
    shipping: fmt(order?.shipping),
    tax: fmt(order?.tax),
    total: fmt(order?.total ?? event.total),
    refundedAmount: fmt(event.refundedAmount ?? order?.refundedAmount),
    carrier: event.carrier ?? order?.carrier ?? "",
    trackingNumber: event.trackingNumber ?? order?.trackingNumber ?? "",
    reason: event.reason ?? order?.reason ?? "",
    shippingAddress: order?.shippingAddress ?? null,
  };
}

/**
 * The variables and recipients of a message from its event's data (parsed with the event's contract)
 * and, for orders, the order as the order service returns it.
 */
export function messageContext(template: NotificationTemplateKey, data: unknown, ctx: { storeName: string; staffEmail: string | null; order?: OrderDetail }): MessageContext {
  const store = { name: ctx.storeName };
  const none = { email: null, phone: null, pushEmail: null };
  switch (template) {
    case "password_reset": {
      const d = IdentityEvents.passwordResetRequested.schema.parse(data);
      return { vars: { store, account: { email: d.email }, link: d.resetUrl, expiresAt: d.expiresAt }, audience: { ...none, email: d.email } };
    }
    case "email_verification": {
      const d = IdentityEvents.emailVerificationRequested.schema.parse(data);
      return { vars: { store, account: { email: d.email }, link: d.verifyUrl, expiresAt: d.expiresAt }, audience: { ...none, email: d.email } };
    }
    case "staff_invitation": {
      const d = IdentityEvents.staffInvited.schema.parse(data);
      return { vars: { store, invite: { email: d.email, role: d.role, invitedBy: d.invitedBy ?? "" }, link: d.inviteUrl, expiresAt: d.expiresAt }, audience: { ...none, email: d.email } };
    }
    case "stock_low": {
      const d = InventoryEvents.stockLow.schema.parse(data);
      return { vars: { store, stock: d }, audience: { ...none, email: ctx.staffEmail } };
    }
    default: {
      const d = data as OrderEventData;
      const order = orderVars(d, ctx.order);
      const email = (order.email as string) || null;
      return { vars: { store, order }, audience: { email, phone: ctx.order?.shippingAddress.phone ?? null, pushEmail: email } };
    }
  }
}
