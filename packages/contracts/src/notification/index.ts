import { z } from "zod";

/** The channels a store can send on. */
export const NotificationChannel = z.enum(["email", "sms", "push"]);
export type NotificationChannel = z.infer<typeof NotificationChannel>;

/**
 * The messages the platform sends, one template each. Stable keys of our own: the events behind them
 * (order, identity, inventory) are mapped in the notification service through their contracts.
 */
export const NotificationTemplateKey = z.enum([
  "order_created",
  "order_paid",
  "order_payment_failed",
  "order_cancelled",
  "order_shipped",
  "order_delivered",
  "order_refunded",
  "password_reset",
  "email_verification",
  "staff_invitation",
  "stock_low",
]);
export type NotificationTemplateKey = z.infer<typeof NotificationTemplateKey>;

export const DeliveryStatus = z.enum(["queued", "sent", "failed", "bounced", "dead"]);
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;

const text = (max: number) => z.string().max(max);

/** The parts of a template; an empty part means the message is not sent on that channel. */
export const TemplateParts = z.object({
  emailSubject: text(500),
  emailHtml: text(100_000),
  emailText: text(50_000),
  smsText: text(1_600),
  pushTitle: text(200),
  pushBody: text(1_000),
});
export type TemplateParts = z.infer<typeof TemplateParts>;

export const NotificationTemplate = TemplateParts.extend({
  key: NotificationTemplateKey,
  /** True when the store changed it; false means the shipped default. */
  custom: z.boolean(),
  /** Variables the template can use (dotted paths), from the sample data. */
  variables: z.array(z.string()),
  updatedAt: z.string().nullable(),
});
export type NotificationTemplate = z.infer<typeof NotificationTemplate>;
export const NotificationTemplateList = z.object({ items: z.array(NotificationTemplate) });

/** `PUT /admin/notifications/templates/{key}`: the parts to change (others keep their value). */
export const PutTemplateBody = TemplateParts.partial().refine((b) => Object.keys(b).length > 0, "give at least one part");
export type PutTemplateBody = z.infer<typeof PutTemplateBody>;

/** `POST /admin/notifications/templates/{key}/preview`: unsaved parts to try, rendered with sample data. */
export const PreviewTemplateBody = TemplateParts.partial();
export const RenderedTemplate = z.object({
  email: z.object({ subject: z.string(), html: z.string(), text: z.string() }).nullable(),
  sms: z.object({ text: z.string() }).nullable(),
  push: z.object({ title: z.string(), body: z.string() }).nullable(),
  sample: z.record(z.string(), z.unknown()),
});
export type RenderedTemplate = z.infer<typeof RenderedTemplate>;

export const EmailProvider = z.enum(["platform", "smtp", "sendgrid", "mailbox"]);
export const SmsProvider = z.enum(["platform", "twilio", "mailbox"]);
export const PushProvider = z.enum(["platform", "webpush", "mailbox"]);

/** Secret fields a store may set (write-only). */
export const NotificationSecretField = z.enum(["smtpPassword", "sendgridApiKey", "twilioAuthToken"]);
export type NotificationSecretField = z.infer<typeof NotificationSecretField>;

const perMinute = z.number().int().min(1).max(100_000);

export const NotificationSettings = z.object({
  channels: z.object({ email: z.boolean(), sms: z.boolean(), push: z.boolean() }),
  sender: z.object({ name: z.string().nullable(), email: z.string().nullable(), replyTo: z.string().nullable(), smsFrom: z.string().nullable() }),
  /** Where merchant alerts (low stock) go. */
  staffEmail: z.string().nullable(),
  email: z.object({ provider: EmailProvider, smtp: z.object({ host: z.string(), port: z.number().int(), secure: z.boolean(), user: z.string().nullable() }).nullable() }),
  sms: z.object({ provider: SmsProvider, twilioAccountSid: z.string().nullable() }),
  push: z.object({ provider: PushProvider, publicKey: z.string().nullable() }),
  /** Campaign messages per minute and channel. */
  throttle: z.object({ email: perMinute, sms: perMinute, push: perMinute }),
  secrets: z.record(z.string(), z.object({ set: z.boolean(), last4: z.string().nullable() })),
  updatedAt: z.string().nullable(),
});
export type NotificationSettings = z.infer<typeof NotificationSettings>;

const host = z.string().trim().min(1).max(253).regex(/^[A-Za-z0-9.-]+$/, "a host name or IP address");
const phone = z.string().regex(/^\+[1-9][0-9]{6,14}$/, "E.164 phone number, e.g. +15551234567");

export const PutNotificationSettingsBody = z
  .object({
    channels: z.object({ email: z.boolean(), sms: z.boolean(), push: z.boolean() }).partial(),
    sender: z.object({ name: z.string().trim().min(1).max(100).nullable(), email: z.email().max(254).nullable(), replyTo: z.email().max(254).nullable(), smsFrom: phone.nullable() }).partial(),
    staffEmail: z.email().max(254).nullable(),
    email: z.object({ provider: EmailProvider, smtp: z.object({ host, port: z.number().int().min(1).max(65535), secure: z.boolean().default(false), user: z.string().max(200).nullable().default(null) }).nullable() }).partial(),
    sms: z.object({ provider: SmsProvider, twilioAccountSid: z.string().regex(/^AC[0-9a-fA-F]{32}$/, "a Twilio account SID").nullable() }).partial(),
    push: z.object({ provider: PushProvider }).partial(),
    throttle: z.object({ email: perMinute, sms: perMinute, push: perMinute }).partial(),
    /** Write-only; an empty string clears a secret. */
    secrets: z.partialRecord(NotificationSecretField, z.string().max(500)),
  })
  .partial()
  .strict();
export type PutNotificationSettingsBody = z.infer<typeof PutNotificationSettingsBody>;

export const DeliveryAttempt = z.object({
  attempt: z.number().int(),
  outcome: z.enum(["sent", "failed", "bounced"]),
  provider: z.string(),
  error: z.string().nullable(),
  durationMs: z.number().int(),
  at: z.string(),
});

export const Delivery = z.object({
  id: z.string(),
  source: z.enum(["event", "campaign"]),
  /** The event (or campaign) that caused it. */
  sourceId: z.string(),
  template: z.string(),
  channel: NotificationChannel,
  recipient: z.string(),
  status: DeliveryStatus,
  subject: z.string().nullable(),
  attempts: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  lastError: z.string().nullable(),
  provider: z.string().nullable(),
  sentAt: z.string().nullable(),
  createdAt: z.string(),
});
export type Delivery = z.infer<typeof Delivery>;
export const DeliveryDetail = Delivery.extend({ attemptLog: z.array(DeliveryAttempt) });
export const DeliveryPage = z.object({ items: z.array(Delivery), nextCursor: z.string().nullable() });

export const DeliveryListQuery = z.object({
  status: DeliveryStatus.optional(),
  channel: NotificationChannel.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().regex(/^dlv_[0-9a-z]{26}$/, "not a cursor").optional(),
});

export const MailboxMessage = z.object({
  id: z.string(),
  deliveryId: z.string(),
  channel: NotificationChannel,
  to: z.string(),
  from: z.string().nullable(),
  subject: z.string().nullable(),
  html: z.string().nullable(),
  text: z.string().nullable(),
  createdAt: z.string(),
});
export type MailboxMessage = z.infer<typeof MailboxMessage>;
export const MailboxPage = z.object({ items: z.array(MailboxMessage), nextCursor: z.string().nullable() });
export const MailboxQuery = z.object({
  channel: NotificationChannel.optional(),
  to: z.string().max(320).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().regex(/^mbx_[0-9a-z]{26}$/, "not a cursor").optional(),
});

/** `POST /api/v1/push/subscriptions`: a browser's PushSubscription (`subscription.toJSON()`). */
export const PushSubscriptionBody = z.object({
  endpoint: z.url({ protocol: /^https$/ }).max(2000),
  expirationTime: z.number().nullable().optional(),
  keys: z.object({ p256dh: z.string().regex(/^[A-Za-z0-9_-]{80,100}={0,2}$/, "base64url P-256 public key"), auth: z.string().regex(/^[A-Za-z0-9_-]{16,24}={0,2}$/, "base64url auth secret") }),
  /** The shopper agrees to promotions on this browser. */
  marketing: z.boolean().default(false),
});
export type PushSubscriptionBody = z.infer<typeof PushSubscriptionBody>;
export const PushUnsubscribeBody = z.object({ endpoint: z.url().max(2000) });
export const PushSubscriptionCreated = z.object({ id: z.string(), publicKey: z.string() });
export const PushPublicKey = z.object({ publicKey: z.string() });

/** A shopper's consent to promotions on one channel (email address, phone number). */
export const ConsentBody = z.object({
  channel: z.enum(["email", "sms"]),
  /** For email, the signed-in shopper's own address is used; for SMS, the phone number. */
  address: z.string().max(320).optional(),
  optIn: z.boolean(),
});
export const Consent = z.object({ channel: NotificationChannel, address: z.string(), optedIn: z.boolean(), source: z.string(), updatedAt: z.string() });
export const ConsentPage = z.object({ items: z.array(Consent), nextCursor: z.string().nullable() });

export const CampaignBody = z.object({
  name: z.string().trim().min(1).max(200),
  channels: z.array(NotificationChannel).min(1).max(3),
  email: z.object({ subject: z.string().min(1).max(500), html: z.string().min(1).max(100_000), text: z.string().min(1).max(50_000) }).optional(),
  sms: z.object({ text: z.string().min(1).max(1_600) }).optional(),
  push: z.object({ title: z.string().min(1).max(200), body: z.string().min(1).max(1_000), url: z.url().max(2000).optional() }).optional(),
});
export type CampaignBody = z.infer<typeof CampaignBody>;
export const Campaign = z.object({
  id: z.string(),
  name: z.string(),
  channels: z.array(NotificationChannel),
  recipients: z.number().int(),
  createdAt: z.string(),
});
export const CampaignList = z.object({ items: z.array(Campaign) });

export const UnsubscribeQuery = z.object({ token: z.string().min(10).max(2000) });
export const UnsubscribeResult = z.object({ channel: NotificationChannel, address: z.string(), optedIn: z.literal(false) });
