import sendgridClient from "@sendgrid/client";
import type { Client as ClientType } from "@sendgrid/client/src/client.js";
import { MailService } from "@sendgrid/mail";
import { httpFailure, type OutgoingMessage, type SendResult, type Transport } from "./channel.ts";

// The package's types describe only its default instance; the module also exports the class.
const { Client } = sendgridClient as unknown as { Client: typeof ClientType };

/** Email through SendGrid's v3 API (`@sendgrid/mail`); `baseUrl` points tests at a local fake. */
export class SendGridTransport implements Transport {
  readonly provider = "sendgrid";
  constructor(private readonly opts: { apiKey: string; baseUrl?: string; timeoutMs?: number }) {}

  async send(msg: OutgoingMessage): Promise<SendResult> {
    const client = new Client();
    client.setApiKey(this.opts.apiKey);
    // setApiKey sets the region's host; a configured base URL replaces it afterwards.
    if (this.opts.baseUrl) client.setDefaultRequest("baseUrl", this.opts.baseUrl);
    const mail = new MailService();
    mail.setClient(client);
    mail.setTimeout(this.opts.timeoutMs ?? 15_000);
    const from = parseAddress(msg.from ?? "");
    try {
      const [res] = await mail.send({
        to: msg.to,
        from,
        ...(msg.replyTo ? { replyTo: msg.replyTo } : {}),
        subject: msg.subject ?? "",
        ...(msg.text ? { text: msg.text } : {}),
        ...(msg.html ? { html: msg.html } : {}),
        ...(msg.headers ? { headers: msg.headers } : {}),
      } as Parameters<MailService["send"]>[0]);
      const id = res.headers["x-message-id"];
      return typeof id === "string" ? { ref: id } : {};
    } catch (err) {
      const e = err as { code?: number; response?: { body?: unknown }; message: string };
      throw httpFailure("sendgrid", typeof e.code === "number" ? e.code : undefined, e.response?.body ? JSON.stringify(e.response.body) : e.message);
    }
  }
}

/** `Name <email>` -> `{ name, email }` (SendGrid wants them apart). */
export function parseAddress(value: string): { email: string; name?: string } {
  const m = /^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/.exec(value);
  if (!m) return { email: value.trim() };
  return m[1] ? { email: m[2]!.trim(), name: m[1].trim() } : { email: m[2]!.trim() };
}
