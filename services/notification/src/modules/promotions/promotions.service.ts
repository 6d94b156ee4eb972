import { and, asc, desc, eq, lt } from "drizzle-orm";
import type { CampaignBody, NotificationChannel } from "@bazaar/contracts";
import type { Tx } from "@bazaar/service-kit/db";
import { AppError } from "@bazaar/service-kit/errors";
import { campaigns, consents, pushSubscriptions } from "../../db/schema/index.ts";
import { createId } from "@bazaar/service-kit/ids";
import * as repo from "../deliveries/deliveries.repo.ts";
import type { SettingsService } from "../settings/settings.service.ts";
import { renderPart, validateParts } from "../templates/templates.render.ts";
import type { UnsubscribeTokens } from "./unsubscribe.ts";

const MAX_RECIPIENTS = 50_000;

export interface PromotionsOptions {
  settings: SettingsService;
  tokens: UnsubscribeTokens;
  /** Base of unsubscribe links, `{slug}` replaced by the store's slug (default `http://{slug}.localhost:8080`). */
  linkBase: string;
  defaultFrom: string;
  clock: () => Date;
}

/** Campaigns to shoppers who opted in, one message per recipient and channel, each with its unsubscribe link. */
export class PromotionsService {
  constructor(private readonly o: PromotionsOptions) {}

  unsubscribeUrl(store: { tenantId: string; slug: string }, channel: NotificationChannel, address: string): string {
    const token = this.o.tokens.sign({ tenantId: store.tenantId, channel, address });
    return `${this.o.linkBase.replace("{slug}", store.slug)}/api/v1/notifications/unsubscribe?token=${token}`;
  }

  async create(tx: Tx, store: { tenantId: string; slug: string }, body: CampaignBody) {
    const channels = [...new Set(body.channels)];
    const missing = channels.filter((c) => !body[c]).map((c) => ({ path: c, message: `content for ${c} is needed when it is one of the channels` }));
    if (missing.length) throw new AppError("validation_failed", "The campaign lacks content for a channel.", missing);
    validateParts(
      {
        ...(body.email ? { emailSubject: body.email.subject, emailHtml: body.email.html, emailText: body.email.text } : {}),
        ...(body.sms ? { smsText: body.sms.text } : {}),
        ...(body.push ? { pushTitle: body.push.title, pushBody: body.push.body } : {}),
      },
      { store: { name: store.slug }, recipient: { address: "shopper@example.com" }, unsubscribeUrl: "https://example.com/unsubscribe" },
    );
    const s = await this.o.settings.resolved(tx, store.tenantId);
    const off = channels.filter((c) => !s.channels[c]);
    if (off.length) throw new AppError("conflict", `The store has these channels off: ${off.join(", ")}.`);
    const id = createId("campaign");
    const storeVars = { name: s.sender.name ?? store.slug };
    const base = { source: "campaign" as const, sourceId: id, template: "campaign" };
    const rows: repo.NewDelivery[] = [];
    if (body.email) {
      const from = `"${storeVars.name.replace(/["\\\r\n]/g, "")}" <${s.sender.email ?? this.o.defaultFrom}>`;
      for (const address of await this.optedIn(tx, "email")) {
        const unsubscribeUrl = this.unsubscribeUrl(store, "email", address);
        const vars = { store: storeVars, recipient: { address }, unsubscribeUrl };
        rows.push({
          ...base,
          channel: "email",
          recipient: address,
          sender: from,
          subject: renderPart("emailSubject", body.email.subject, vars),
          html: `${renderPart("emailHtml", body.email.html, vars)}\n<p style="font-size:12px"><a href="${escapeAttr(unsubscribeUrl)}">Unsubscribe</a></p>`,
          text: `${renderPart("emailText", body.email.text, vars)}\n\nUnsubscribe: ${unsubscribeUrl}`,
          headers: { "List-Unsubscribe": `<${unsubscribeUrl}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
        });
      }
    }
    if (body.sms) {
      for (const address of await this.optedIn(tx, "sms")) {
        const vars = { store: storeVars, recipient: { address }, unsubscribeUrl: this.unsubscribeUrl(store, "sms", address) };
        rows.push({ ...base, channel: "sms", recipient: address, sender: s.sender.smsFrom, text: renderPart("smsText", body.sms.text, vars) });
      }
    }
    if (body.push) {
      const subs = await tx.select({ id: pushSubscriptions.id }).from(pushSubscriptions).where(eq(pushSubscriptions.marketing, true)).orderBy(asc(pushSubscriptions.id)).limit(MAX_RECIPIENTS);
      for (const sub of subs) {
        const vars = { store: storeVars, recipient: { address: sub.id }, unsubscribeUrl: this.unsubscribeUrl(store, "push", sub.id) };
        const title = renderPart("pushTitle", body.push.title, vars);
        const text = renderPart("pushBody", body.push.body, vars);
        rows.push({ ...base, channel: "push", recipient: sub.id, subject: title, text, data: { title, body: text, ...(body.push.url ? { url: body.push.url } : {}), unsubscribeUrl: vars.unsubscribeUrl } });
      }
    }
    const recipients = await repo.insertOnce(tx, rows, this.o.clock());
    const [saved] = await tx.insert(campaigns).values({ id, name: body.name, channels, recipients }).returning();
    return { id, name: saved!.name, channels, recipients, createdAt: saved!.createdAt.toISOString() };
  }

  async list(tx: Tx) {
    const rows = await tx.select().from(campaigns).orderBy(desc(campaigns.id)).limit(100);
    return rows.map((r) => ({ id: r.id, name: r.name, channels: r.channels as NotificationChannel[], recipients: r.recipients, createdAt: r.createdAt.toISOString() }));
  }

  private async optedIn(tx: Tx, channel: "email" | "sms"): Promise<string[]> {
    const rows = await tx
      .select({ address: consents.address })
      .from(consents)
      .where(and(eq(consents.channel, channel), eq(consents.optedIn, true)))
      .orderBy(asc(consents.address))
      .limit(MAX_RECIPIENTS);
    return rows.map((r) => r.address);
  }

  async setConsent(tx: Tx, channel: NotificationChannel, address: string, optedIn: boolean, source: string) {
    if (channel === "push") {
      const [row] = await tx.update(pushSubscriptions).set({ marketing: optedIn }).where(eq(pushSubscriptions.id, address)).returning();
      if (!row) throw new AppError("not_found", "No such subscription in this store.");
      return { channel, address, optedIn, source, updatedAt: this.o.clock().toISOString() };
    }
    const values = { channel, address, optedIn, source, updatedAt: this.o.clock() };
    const [row] = await tx.insert(consents).values(values).onConflictDoUpdate({ target: [consents.channel, consents.address], set: values }).returning();
    return { channel, address, optedIn: row!.optedIn, source: row!.source, updatedAt: row!.updatedAt.toISOString() };
  }

  async consents(tx: Tx, q: { limit: number; cursor?: string | undefined }) {
    const rows = await tx
      .select()
      .from(consents)
      .where(q.cursor ? lt(consents.address, q.cursor) : undefined)
      .orderBy(desc(consents.address))
      .limit(q.limit + 1);
    const items = rows.slice(0, q.limit).map((r) => ({ channel: r.channel as NotificationChannel, address: r.address, optedIn: r.optedIn, source: r.source, updatedAt: r.updatedAt.toISOString() }));
    return { items, nextCursor: rows.length > q.limit ? (items.at(-1)?.address ?? null) : null };
  }
}

const escapeAttr = (s: string) => s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
