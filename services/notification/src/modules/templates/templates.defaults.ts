import type { NotificationTemplateKey, TemplateParts } from "@bazaar/contracts";

const layout = (body: string) =>
  `<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#111;max-width:600px;margin:auto">
<h2 style="margin-bottom:4px">{{store.name}}</h2>
${body}
<p style="color:#666;font-size:12px">You receive this message because of your activity at {{store.name}}.</p>
</body></html>`;

const lines = `<table style="width:100%;border-collapse:collapse">
<thead><tr><th align="left">Item</th><th align="right">Qty</th><th align="right">Price</th><th align="right">Total</th></tr></thead>
<tbody>{{#each order.lines}}<tr><td>{{name}} <small>({{sku}})</small></td><td align="right">{{quantity}}</td><td align="right">{{unitPrice}}</td><td align="right">{{lineTotal}}</td></tr>{{/each}}</tbody>
</table>
<p>Subtotal: {{order.subtotal}}<br>Shipping: {{order.shipping}}<br>Tax: {{order.tax}}<br><strong>Total: {{order.total}}</strong></p>`;

const textLines = `{{#each order.lines}}- {{quantity}} x {{name}} ({{sku}}) @ {{unitPrice}} = {{lineTotal}}
{{/each}}
Subtotal: {{order.subtotal}}
Shipping: {{order.shipping}}
Tax: {{order.tax}}
Total: {{order.total}}`;

const address = `{{#with order.shippingAddress}}<p>Shipping to:<br>{{name}}<br>{{line1}}{{#if line2}}<br>{{line2}}{{/if}}<br>{{postalCode}} {{city}}{{#if region}}, {{region}}{{/if}}<br>{{country}}</p>{{/with}}`;

const none = { smsText: "", pushTitle: "", pushBody: "" };

/** The templates every store starts with; a store's edits replace them part by part. */
export const DEFAULT_TEMPLATES: Record<NotificationTemplateKey, TemplateParts> = {
  order_created: {
    emailSubject: "Order {{order.number}} received",
    emailHtml: layout(`<p>Thank you for your order <strong>{{order.number}}</strong>. We are processing your payment.</p>\n${lines}\n${address}`),
    emailText: `Thank you for your order {{order.number}} at {{store.name}}. We are processing your payment.\n\n${textLines}`,
    smsText: "{{store.name}}: order {{order.number}} received ({{order.total}}).",
    pushTitle: "Order {{order.number}} received",
    pushBody: "Total {{order.total}}. We'll let you know when it's confirmed.",
  },
  order_paid: {
    emailSubject: "Order {{order.number}} confirmed",
    emailHtml: layout(`<p>Your order <strong>{{order.number}}</strong> is confirmed and paid.</p>\n${lines}\n${address}`),
    emailText: `Your order {{order.number}} at {{store.name}} is confirmed and paid.\n\n${textLines}`,
    smsText: "{{store.name}}: order {{order.number}} confirmed, total {{order.total}}.",
    pushTitle: "Order {{order.number}} confirmed",
    pushBody: "Payment received: {{order.total}}.",
  },
  order_payment_failed: {
    emailSubject: "Payment for order {{order.number}} failed",
    emailHtml: layout(`<p>We could not take the payment for order <strong>{{order.number}}</strong> ({{order.total}}){{#if order.reason}}: {{order.reason}}{{/if}}.</p><p>Please try again with another payment method.</p>`),
    emailText: "We could not take the payment for order {{order.number}} ({{order.total}}){{#if order.reason}}: {{order.reason}}{{/if}}.\nPlease try again with another payment method.",
    smsText: "{{store.name}}: payment for order {{order.number}} failed.",
    pushTitle: "Payment failed",
    pushBody: "Order {{order.number}}: please try another payment method.",
  },
  order_cancelled: {
    emailSubject: "Order {{order.number}} cancelled",
    emailHtml: layout(`<p>Your order <strong>{{order.number}}</strong> was cancelled{{#if order.reason}} ({{order.reason}}){{/if}}.</p>`),
    emailText: "Your order {{order.number}} at {{store.name}} was cancelled{{#if order.reason}} ({{order.reason}}){{/if}}.",
    smsText: "{{store.name}}: order {{order.number}} was cancelled.",
    pushTitle: "Order {{order.number}} cancelled",
    pushBody: "{{#if order.reason}}{{order.reason}}{{else}}Your order was cancelled.{{/if}}",
  },
  order_shipped: {
    emailSubject: "Order {{order.number}} shipped",
    emailHtml: layout(`<p>Your order <strong>{{order.number}}</strong> is on its way with {{order.carrier}}.</p><p>Tracking number: <strong>{{order.trackingNumber}}</strong></p>\n${address}`),
    emailText: "Your order {{order.number}} is on its way with {{order.carrier}}.\nTracking number: {{order.trackingNumber}}",
    smsText: "{{store.name}}: order {{order.number}} shipped with {{order.carrier}}, tracking {{order.trackingNumber}}.",
    pushTitle: "Order {{order.number}} shipped",
    pushBody: "{{order.carrier}} {{order.trackingNumber}}",
  },
  order_delivered: {
    emailSubject: "Order {{order.number}} delivered",
    emailHtml: layout(`<p>Your order <strong>{{order.number}}</strong> was delivered. Enjoy!</p>`),
    emailText: "Your order {{order.number}} from {{store.name}} was delivered. Enjoy!",
    smsText: "{{store.name}}: order {{order.number}} was delivered.",
    pushTitle: "Order {{order.number}} delivered",
    pushBody: "Enjoy your purchase!",
  },
  order_refunded: {
    emailSubject: "Refund for order {{order.number}}",
    emailHtml: layout(`<p>We refunded <strong>{{order.refundedAmount}}</strong> for order <strong>{{order.number}}</strong> (total {{order.total}}).</p>`),
    emailText: "We refunded {{order.refundedAmount}} for order {{order.number}} (total {{order.total}}).",
    smsText: "{{store.name}}: {{order.refundedAmount}} refunded for order {{order.number}}.",
    pushTitle: "Refund issued",
    pushBody: "{{order.refundedAmount}} for order {{order.number}}",
  },
  password_reset: {
    emailSubject: "Reset your {{store.name}} password",
    emailHtml: layout(`<p>Someone asked to reset the password of {{account.email}}.</p><p><a href="{{link}}">Choose a new password</a> (valid until {{expiresAt}}).</p><p>If it was not you, ignore this message.</p>`),
    emailText: "Someone asked to reset the password of {{account.email}}.\nChoose a new password: {{link}}\n(valid until {{expiresAt}})\nIf it was not you, ignore this message.",
    ...none,
  },
  email_verification: {
    emailSubject: "Confirm your email for {{store.name}}",
    emailHtml: layout(`<p>Please confirm {{account.email}}:</p><p><a href="{{link}}">Confirm my email</a> (valid until {{expiresAt}}).</p>`),
    emailText: "Please confirm {{account.email}}: {{link}}\n(valid until {{expiresAt}})",
    ...none,
  },
  staff_invitation: {
    emailSubject: "You're invited to run {{store.name}}",
    emailHtml: layout(`<p>{{#if invite.invitedBy}}{{invite.invitedBy}} invited you{{else}}You are invited{{/if}} to join {{store.name}} as <strong>{{invite.role}}</strong>.</p><p><a href="{{link}}">Accept the invitation</a> (valid until {{expiresAt}}).</p>`),
    emailText: "{{#if invite.invitedBy}}{{invite.invitedBy}} invited you{{else}}You are invited{{/if}} to join {{store.name}} as {{invite.role}}.\nAccept: {{link}}\n(valid until {{expiresAt}})",
    ...none,
  },
  stock_low: {
    emailSubject: "Low stock: {{stock.sku}}",
    emailHtml: layout(`<p>Only <strong>{{stock.available}}</strong> left of <strong>{{stock.sku}}</strong> (alert threshold {{stock.threshold}}).</p>`),
    emailText: "Only {{stock.available}} left of {{stock.sku}} (alert threshold {{stock.threshold}}).",
    smsText: "",
    pushTitle: "",
    pushBody: "",
  },
};

const sampleOrder = {
  number: "1042",
  status: "paid",
  email: "shopper@example.com",
  currency: "USD",
  lines: [
    { name: "Linen shirt <Blue>", sku: "SHIRT-M", quantity: 2, unitPrice: "$45.00", lineTotal: "$90.00" },
    { name: "Canvas tote", sku: "TOTE-1", quantity: 1, unitPrice: "$19.50", lineTotal: "$19.50" },
  ],
  subtotal: "$109.50",
  shipping: "$5.00",
  tax: "$9.03",
  total: "$123.53",
  refundedAmount: "$19.50",
  carrier: "UPS",
  trackingNumber: "1Z999AA10123456784",
  reason: "card_declined",
  shippingAddress: { name: "Ada Lovelace", line1: "12 St James's Square", line2: "", city: "London", region: "", postalCode: "SW1Y 4JH", country: "GB", phone: "+15551234567" },
};
const expiresAt = "2030-01-01T12:00:00.000Z";

/** Sample data for previews; the same shape the service renders real messages with. */
export function sampleVars(key: NotificationTemplateKey, storeName: string): Record<string, unknown> {
  const store = { name: storeName };
  if (key.startsWith("order_")) return { store, order: sampleOrder };
  if (key === "password_reset") return { store, account: { email: "shopper@example.com" }, link: "https://example.com/reset?token=sample", expiresAt };
  if (key === "email_verification") return { store, account: { email: "shopper@example.com" }, link: "https://example.com/verify?token=sample", expiresAt };
  if (key === "staff_invitation") return { store, invite: { email: "new.staff@example.com", role: "manager", invitedBy: "owner@example.com" }, link: "https://example.com/invite?token=sample", expiresAt };
  return { store, stock: { sku: "SHIRT-M", available: 3, threshold: 5 } };
}
