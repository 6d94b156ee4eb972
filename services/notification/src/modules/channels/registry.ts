import type { Agent } from "node:https";
import type { NotificationChannel } from "@bazaar/contracts";
import { DeliveryError, type Transport } from "./channel.ts";
import type { MailboxTransport } from "./mailbox.ts";
import { SendGridTransport } from "./sendgrid.ts";
import { SmtpTransport } from "./smtp.ts";
import { TwilioTransport } from "./twilio.ts";
import { WebPushTransport } from "./webpush.ts";
import type { ResolvedSettings } from "../settings/settings.service.ts";

/**
 * The platform's own providers, used by stores that keep provider `platform` (the default). Nothing
 * configured (embedded profile) means the dev mailbox for every channel.
 */
export interface PlatformTransports {
  /** `smtp://user:pass@host:port` (nodemailer URL). */
  smtpUrl?: string;
  sendgridApiKey?: string;
  twilio?: { accountSid: string; authToken: string; from: string };
  /** Deliver Web Push to the browsers' push services (otherwise push lands in the mailbox). */
  webPush?: boolean;
}

/** Test seams: local fakes for SendGrid and Twilio, an HTTPS agent trusting a local push endpoint. */
export interface ProviderOverrides {
  sendgridBaseUrl?: string;
  twilioBaseUrl?: string;
  pushAgent?: Agent;
  timeoutMs?: number;
  /**
   * Whether a store's own SMTP host and browsers' push endpoints may be private or local addresses.
   * Default true (embedded profile, tests: everything is on this machine); the production entry
   * point sets false, so nobody can point the platform at its own network.
   */
  allowPrivateHosts?: boolean;
}

/** Picks the transport of a channel for a store: its own provider, else the platform's, else the mailbox. */
export class TransportRegistry {
  constructor(
    private readonly platform: PlatformTransports,
    private readonly overrides: ProviderOverrides,
    private readonly mailbox: MailboxTransport,
  ) {}

  /** Whether nothing real is configured platform-wide (the embedded profile's dev mailbox). */
  get mailboxOnly(): boolean {
    return !this.platform.smtpUrl && !this.platform.sendgridApiKey && !this.platform.twilio && !this.platform.webPush;
  }

  for(channel: NotificationChannel, s: ResolvedSettings): Transport {
    const timeoutMs = this.overrides.timeoutMs;
    const t = timeoutMs !== undefined ? { timeoutMs } : {};
    if (channel === "email") {
      switch (s.email.provider) {
        case "mailbox":
          return this.mailbox;
        case "smtp":
          if (!s.email.smtp) throw new DeliveryError("smtp: the store has no SMTP server configured", false);
          return new SmtpTransport({ ...s.email.smtp, password: s.secrets.smtpPassword ?? null, ...t, publicOnly: this.overrides.allowPrivateHosts === false });
        case "sendgrid":
          if (!s.secrets.sendgridApiKey) throw new DeliveryError("sendgrid: the store has no API key", false);
          return new SendGridTransport({ apiKey: s.secrets.sendgridApiKey, ...this.sendgridBase(), ...t });
        default:
          if (this.platform.smtpUrl) return new SmtpTransport({ url: this.platform.smtpUrl, ...t });
          if (this.platform.sendgridApiKey) return new SendGridTransport({ apiKey: this.platform.sendgridApiKey, ...this.sendgridBase(), ...t });
          return this.mailbox;
      }
    }
    if (channel === "sms") {
      if (s.sms.provider === "mailbox") return this.mailbox;
      if (s.sms.provider === "twilio") {
        if (!s.sms.twilioAccountSid || !s.secrets.twilioAuthToken || !s.sender.smsFrom) throw new DeliveryError("twilio: the store's credentials are incomplete", false);
        return new TwilioTransport({ accountSid: s.sms.twilioAccountSid, authToken: s.secrets.twilioAuthToken, from: s.sender.smsFrom, ...this.twilioBase(), ...t });
      }
      return this.platform.twilio ? new TwilioTransport({ ...this.platform.twilio, ...this.twilioBase(), ...t }) : this.mailbox;
    }
    if (s.push.provider === "mailbox" || (s.push.provider === "platform" && !this.platform.webPush)) return this.mailbox;
    return new WebPushTransport({ ...t, ...(this.overrides.pushAgent ? { agent: this.overrides.pushAgent } : {}), publicOnly: this.overrides.allowPrivateHosts === false });
  }

  private sendgridBase() {
    return this.overrides.sendgridBaseUrl ? { baseUrl: this.overrides.sendgridBaseUrl } : {};
  }

  private twilioBase() {
    return this.overrides.twilioBaseUrl ? { baseUrl: this.overrides.twilioBaseUrl } : {};
  }
}
