import type { Tenancy } from "@bazaar/service-kit/tenancy";
import { mailbox } from "../../db/schema/index.ts";
import { createId } from "@bazaar/service-kit/ids";
import type { OutgoingMessage, SendResult, Transport } from "./channel.ts";

/**
 * The dev mailbox (embedded profile): every channel "delivers" into the store's mailbox table, read
 * at `GET /api/v1/admin/mailbox`, so a newcomer sees messages without any mail server or provider.
 */
export class MailboxTransport implements Transport {
  readonly provider = "mailbox";
  constructor(private readonly tenancy: Tenancy) {}

  async send(msg: OutgoingMessage): Promise<SendResult> {
    const id = createId("mailboxMessage");
    const push = msg.push ? (JSON.parse(msg.push.payload) as { title?: string; body?: string }) : undefined;
    await this.tenancy.withTenant(msg.tenantId, (tx) =>
      tx.insert(mailbox).values({
        id,
        deliveryId: msg.deliveryId,
        channel: msg.channel,
        to: msg.push ? msg.push.subscription.endpoint : msg.to,
        from: msg.from,
        subject: push ? (push.title ?? null) : (msg.subject ?? null),
        html: msg.html ?? null,
        text: push ? (push.body ?? null) : (msg.text ?? null),
      }),
    );
    return { ref: id };
  }
}
