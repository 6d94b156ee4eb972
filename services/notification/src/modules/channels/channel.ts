import type { NotificationChannel } from "@bazaar/contracts";

export interface PushTarget {
  subscription: { endpoint: string; keys: { p256dh: string; auth: string } };
  vapid: { subject: string; publicKey: string; privateKey: string };
  payload: string;
}

/** One message, rendered, on its way to one recipient. */
export interface OutgoingMessage {
  deliveryId: string;
  tenantId: string;
  channel: NotificationChannel;
  /** Email address, E.164 phone number, or (push) the subscription id. */
  to: string;
  from: string | null;
  replyTo?: string | null;
  subject?: string | null;
  html?: string | null;
  text?: string | null;
  headers?: Record<string, string>;
  push?: PushTarget;
}

export interface SendResult {
  /** The provider's id of the message, when it gives one. */
  ref?: string;
}

/** Every channel provider (SMTP, SendGrid, Twilio, Web Push, the dev mailbox) behind one shape. */
export interface Transport {
  readonly provider: string;
  send(msg: OutgoingMessage): Promise<SendResult>;
}

/**
 * A provider refused or failed. `permanent` (a 5xx SMTP reply, an HTTP 4xx, a push subscription that
 * is gone) ends the delivery as `bounced`; anything else is retried with backoff.
 */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = "DeliveryError";
  }
}

/** HTTP status -> retry or not: 408, 429 and 5xx are worth another try, other 4xx are not. */
export function httpFailure(provider: string, status: number | undefined, detail: string): DeliveryError {
  const permanent = status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429;
  return new DeliveryError(`${provider}${status ? ` ${status}` : ""}: ${detail}`.slice(0, 500), permanent);
}
