import { eq } from "drizzle-orm";
import { NotificationSecretField, type NotificationSettings, type PutNotificationSettingsBody } from "@bazaar/contracts";
import type { Tx } from "@bazaar/service-kit/db";
import { AppError } from "@bazaar/service-kit/errors";
import { notificationSettings } from "../../db/schema/index.ts";
import { seal, unseal } from "../../lib/crypto.ts";
import { generateVapidKeys } from "../channels/webpush.ts";

type Row = typeof notificationSettings.$inferSelect;
type Sealed = Record<string, { sealed: string; last4: string }>;
export type StoreSettings = Omit<NotificationSettings, "secrets" | "updatedAt" | "push"> & { push: { provider: NotificationSettings["push"]["provider"] } };

const ROW = "store";

export const DEFAULT_SETTINGS: StoreSettings = {
  channels: { email: true, sms: false, push: true },
  sender: { name: null, email: null, replyTo: null, smsFrom: null },
  staffEmail: null,
  email: { provider: "platform", smtp: null },
  sms: { provider: "platform", twilioAccountSid: null },
  push: { provider: "platform" },
  throttle: { email: 600, sms: 60, push: 600 },
};

/** Settings with the store's secrets opened: what the dispatcher sends with. */
export interface ResolvedSettings extends StoreSettings {
  secrets: Partial<Record<NotificationSecretField, string>>;
}

function stored(row: Row | undefined): StoreSettings {
  const s = (row?.settings ?? {}) as Partial<StoreSettings>;
  return {
    channels: { ...DEFAULT_SETTINGS.channels, ...s.channels },
    sender: { ...DEFAULT_SETTINGS.sender, ...s.sender },
    staffEmail: s.staffEmail ?? null,
    email: { ...DEFAULT_SETTINGS.email, ...s.email },
    sms: { ...DEFAULT_SETTINGS.sms, ...s.sms },
    push: { ...DEFAULT_SETTINGS.push, ...s.push },
    throttle: { ...DEFAULT_SETTINGS.throttle, ...s.throttle },
  };
}

const aad = (tenantId: string, field: string) => `${tenantId}:notification:${field}`;

/** A store's channels, sender and provider credentials; secrets are sealed per store and field and never read back out. */
export class SettingsService {
  constructor(private readonly key: Buffer) {}

  private async row(tx: Tx, lock = false): Promise<Row | undefined> {
    const q = tx.select().from(notificationSettings).where(eq(notificationSettings.id, ROW));
    const [row] = lock ? await q.for("update") : await q;
    return row;
  }

  async get(tx: Tx): Promise<NotificationSettings> {
    return this.view(await this.row(tx));
  }

  async put(tx: Tx, tenantId: string, body: PutNotificationSettingsBody): Promise<NotificationSettings> {
    const row = await this.row(tx, true);
    const cur = stored(row);
    const next: StoreSettings = {
      channels: { ...cur.channels, ...body.channels },
      sender: { ...cur.sender, ...body.sender },
      staffEmail: body.staffEmail !== undefined ? body.staffEmail : cur.staffEmail,
      email: { ...cur.email, ...body.email },
      sms: { ...cur.sms, ...body.sms },
      push: { ...cur.push, ...body.push },
      throttle: { ...cur.throttle, ...body.throttle },
    };
    const secrets: Sealed = { ...((row?.secrets as Sealed | undefined) ?? {}) };
    for (const [field, value] of Object.entries(body.secrets ?? {})) {
      if (value === "") delete secrets[field];
      else secrets[field] = { sealed: seal(this.key, value, aad(tenantId, field)), last4: Array.from(value).slice(-4).join("") };
    }
    const missing: { path: string; message: string }[] = [];
    if (next.email.provider === "smtp" && !next.email.smtp) missing.push({ path: "email.smtp", message: "the SMTP server is needed for provider smtp" });
    if (next.email.provider === "sendgrid" && !secrets.sendgridApiKey) missing.push({ path: "secrets.sendgridApiKey", message: "needed for provider sendgrid" });
    if (next.sms.provider === "twilio") {
      if (!next.sms.twilioAccountSid) missing.push({ path: "sms.twilioAccountSid", message: "needed for provider twilio" });
      if (!secrets.twilioAuthToken) missing.push({ path: "secrets.twilioAuthToken", message: "needed for provider twilio" });
      if (!next.sender.smsFrom) missing.push({ path: "sender.smsFrom", message: "the sending number is needed for provider twilio" });
    }
    if (missing.length) throw new AppError("validation_failed", "The settings are incomplete for the chosen provider.", missing);
    const values = { id: ROW, settings: next, secrets, updatedAt: new Date() };
    const [saved] = await tx.insert(notificationSettings).values(values).onConflictDoUpdate({ target: notificationSettings.id, set: values }).returning();
    return this.view(saved);
  }

  async resolved(tx: Tx, tenantId: string): Promise<ResolvedSettings> {
    const row = await this.row(tx);
    const secrets: ResolvedSettings["secrets"] = {};
    for (const [field, v] of Object.entries((row?.secrets as Sealed | undefined) ?? {})) {
      secrets[field as NotificationSecretField] = unseal(this.key, v.sealed, aad(tenantId, field));
    }
    return { ...stored(row), secrets };
  }

  /** The store's VAPID key pair, made on first use; the private key is stored sealed. */
  async vapid(tx: Tx, tenantId: string): Promise<{ publicKey: string; privateKey: string }> {
    const known = await this.row(tx);
    if (known?.vapidPublicKey && known.vapidPrivateKey) {
      return { publicKey: known.vapidPublicKey, privateKey: unseal(this.key, known.vapidPrivateKey, aad(tenantId, "vapid")) };
    }
    // First use: make the pair under the row's lock, so two first uses agree on one pair.
    await tx.insert(notificationSettings).values({ id: ROW }).onConflictDoNothing();
    const row = (await this.row(tx, true))!;
    if (row.vapidPublicKey && row.vapidPrivateKey) {
      return { publicKey: row.vapidPublicKey, privateKey: unseal(this.key, row.vapidPrivateKey, aad(tenantId, "vapid")) };
    }
    const keys = generateVapidKeys();
    await tx
      .update(notificationSettings)
      .set({ vapidPublicKey: keys.publicKey, vapidPrivateKey: seal(this.key, keys.privateKey, aad(tenantId, "vapid")) })
      .where(eq(notificationSettings.id, ROW));
    return keys;
  }

  private view(row: Row | undefined): NotificationSettings {
    const s = stored(row);
    const sealed = (row?.secrets as Sealed | undefined) ?? {};
    const secrets: NotificationSettings["secrets"] = {};
    for (const field of NotificationSecretField.options) secrets[field] = { set: field in sealed, last4: sealed[field]?.last4 ?? null };
    return { ...s, push: { ...s.push, publicKey: row?.vapidPublicKey ?? null }, secrets, updatedAt: row?.updatedAt.toISOString() ?? null };
  }
}
