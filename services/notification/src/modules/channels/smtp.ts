import nodemailer from "nodemailer";
import { DeliveryError, type OutgoingMessage, type SendResult, type Transport } from "./channel.ts";
import { assertPublicHost } from "./public-host.ts";

export type SmtpOptions = { url: string } | { host: string; port: number; secure: boolean; user?: string | null; password?: string | null };

/** Email over SMTP (nodemailer): a store's own server or the platform's `SMTP_URL`. */
export class SmtpTransport implements Transport {
  readonly provider = "smtp";
  /** `publicOnly`: refuse a host on a private or local network (a store's own server in production). */
  constructor(private readonly opts: SmtpOptions & { timeoutMs?: number; publicOnly?: boolean }) {}

  async send(msg: OutgoingMessage): Promise<SendResult> {
    const timeout = this.opts.timeoutMs ?? 15_000;
    if (this.opts.publicOnly && "host" in this.opts) await assertPublicHost(this.opts.host);
    const transporter =
      "url" in this.opts
        ? nodemailer.createTransport(this.opts.url)
        : nodemailer.createTransport({
            host: this.opts.host,
            port: this.opts.port,
            secure: this.opts.secure,
            ...(this.opts.user ? { auth: { user: this.opts.user, pass: this.opts.password ?? "" } } : {}),
            connectionTimeout: timeout,
            greetingTimeout: timeout,
            socketTimeout: timeout,
          });
    try {
      const info = await transporter.sendMail({
        from: msg.from ?? undefined,
        to: msg.to,
        ...(msg.replyTo ? { replyTo: msg.replyTo } : {}),
        subject: msg.subject ?? "",
        ...(msg.html ? { html: msg.html } : {}),
        ...(msg.text ? { text: msg.text } : {}),
        ...(msg.headers ? { headers: msg.headers } : {}),
      });
      return { ref: info.messageId };
    } catch (err) {
      const code = (err as { responseCode?: number }).responseCode;
      // 5xx replies are the server's final word (unknown mailbox, rejected): a bounce, not a retry.
      throw new DeliveryError(`smtp: ${(err as Error).message}`.slice(0, 500), code !== undefined && code >= 500);
    } finally {
      transporter.close();
    }
  }
}
