import { describe, expect, it } from "vitest";
import type { Tenancy } from "@bazaar/service-kit/tenancy";
import { DEFAULT_SETTINGS, type ResolvedSettings } from "../settings/settings.service.ts";
import { MailboxTransport } from "./mailbox.ts";
import { TransportRegistry } from "./registry.ts";

const mailbox = new MailboxTransport({} as Tenancy);
const store = (over: Partial<ResolvedSettings> = {}): ResolvedSettings => ({ ...DEFAULT_SETTINGS, secrets: {}, ...over });

describe("TransportRegistry", () => {
  it("with nothing configured, every channel is the dev mailbox", () => {
    const r = new TransportRegistry({}, {}, mailbox);
    expect(r.mailboxOnly).toBe(true);
    for (const c of ["email", "sms", "push"] as const) expect(r.for(c, store()).provider).toBe("mailbox");
  });

  it("the platform's providers serve stores on `platform`; a store's own provider wins", () => {
    const r = new TransportRegistry({ smtpUrl: "smtp://mail.internal:25", twilio: { accountSid: "AC1", authToken: "t", from: "+1555" }, webPush: true }, {}, mailbox);
    expect(r.mailboxOnly).toBe(false);
    expect(r.for("email", store()).provider).toBe("smtp");
    expect(r.for("sms", store()).provider).toBe("twilio");
    expect(r.for("push", store()).provider).toBe("webpush");
    expect(r.for("email", store({ email: { provider: "sendgrid", smtp: null }, secrets: { sendgridApiKey: "SG.x" } })).provider).toBe("sendgrid");
    expect(r.for("email", store({ email: { provider: "mailbox", smtp: null } })).provider).toBe("mailbox");
    expect(r.for("push", store({ push: { provider: "mailbox" } })).provider).toBe("mailbox");
  });

  it("a store provider without its credentials is a retryable failure, not a crash", () => {
    const r = new TransportRegistry({}, {}, mailbox);
    expect(() => r.for("email", store({ email: { provider: "sendgrid", smtp: null } }))).toThrow(/no API key/);
    expect(() => r.for("sms", store({ sms: { provider: "twilio", twilioAccountSid: null } }))).toThrow(/incomplete/);
  });
});
