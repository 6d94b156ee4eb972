import twilio from "twilio";
import type IRequestClient from "twilio/lib/base/RequestClient.js";
import { httpFailure, type OutgoingMessage, type SendResult, type Transport } from "./channel.ts";

/** Sends Twilio's requests to another base URL (tests' local fake); everything else is Twilio's client. */
class RebasedClient extends twilio.RequestClient {
  constructor(private readonly base: string) {
    super();
  }
  override request<T>(opts: IRequestClient.RequestOptions<T>) {
    const url = new URL(opts.uri);
    return super.request<T>({ ...opts, uri: `${this.base.replace(/\/$/, "")}${url.pathname}${url.search}` });
  }
}

/** SMS through Twilio's Messages API (`twilio`). */
export class TwilioTransport implements Transport {
  readonly provider = "twilio";
  constructor(private readonly opts: { accountSid: string; authToken: string; from: string; baseUrl?: string; timeoutMs?: number }) {}

  async send(msg: OutgoingMessage): Promise<SendResult> {
    const client = twilio(this.opts.accountSid, this.opts.authToken, {
      timeout: this.opts.timeoutMs ?? 15_000,
      ...(this.opts.baseUrl ? { httpClient: new RebasedClient(this.opts.baseUrl) } : {}),
    });
    try {
      const m = await client.messages.create({ to: msg.to, from: msg.from ?? this.opts.from, body: msg.text ?? "" });
      return { ref: m.sid };
    } catch (err) {
      const e = err as { status?: number; message: string };
      throw httpFailure("twilio", e.status, e.message);
    }
  }
}
