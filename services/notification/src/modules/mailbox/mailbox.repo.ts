import { and, desc, eq, lt, sql } from "drizzle-orm";
import type { MailboxMessage, NotificationChannel } from "@bazaar/contracts";
import type { Tx } from "@bazaar/service-kit/db";
import { mailbox } from "../../db/schema/index.ts";

export async function listMailbox(tx: Tx, q: { channel?: NotificationChannel | undefined; to?: string | undefined; limit: number; cursor?: string | undefined }) {
  const rows = await tx
    .select()
    .from(mailbox)
    .where(and(q.channel ? eq(mailbox.channel, q.channel) : undefined, q.to ? sql`lower(${mailbox.to}) = ${q.to.toLowerCase()}` : undefined, q.cursor ? lt(mailbox.id, q.cursor) : undefined))
    .orderBy(desc(mailbox.id))
    .limit(q.limit + 1);
  const items: MailboxMessage[] = rows.slice(0, q.limit).map((r) => ({
    id: r.id,
    deliveryId: r.deliveryId,
    channel: r.channel as NotificationChannel,
    to: r.to,
    from: r.from,
    subject: r.subject,
    html: r.html,
    text: r.text,
    createdAt: r.createdAt.toISOString(),
  }));
  return { items, nextCursor: rows.length > q.limit ? (items.at(-1)?.id ?? null) : null };
}
