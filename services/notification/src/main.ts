import { z } from "zod";
import { runServiceProcess } from "@bazaar/service-kit/service/main";
import { createService } from "./app.ts";

// The only file with side effects: run the notification service as its own process. Providers come
// from the environment; with none set every channel delivers into the dev mailbox. Order lines and
// totals are read from the order service named in SERVICE_URLS (`order=http://order:8085,...`) or ORDER_URL.
const env = z
  .object({
    NODE_ENV: z.string().default("development"),
    SERVICE_URLS: z.string().default(""),
    ORDER_URL: z.string().url().optional(),
    NOTIFICATION_SECRETS_KEY: z.string().optional(),
    SMTP_URL: z.string().url().optional(),
    SENDGRID_API_KEY: z.string().optional(),
    TWILIO_ACCOUNT_SID: z.string().optional(),
    TWILIO_AUTH_TOKEN: z.string().optional(),
    TWILIO_FROM: z.string().optional(),
    NOTIFICATION_WEB_PUSH: z.enum(["true", "false"]).optional(),
    NOTIFICATION_FROM: z.string().email().optional(),
    NOTIFICATION_LINK_BASE: z.string().optional(),
  })
  .parse(Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== "")));
if (!env.NOTIFICATION_SECRETS_KEY && env.NODE_ENV === "production") {
  throw new Error("NOTIFICATION_SECRETS_KEY is required in production (32 bytes, hex or base64): it seals the stores' provider credentials and VAPID keys");
}
const urls = Object.fromEntries(env.SERVICE_URLS.split(",").filter(Boolean).map((p) => p.split("=") as [string, string]));
const orderUrl = env.ORDER_URL ?? urls.order;
const tenantUrl = urls.tenant;
const twilio = env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN && env.TWILIO_FROM ? { accountSid: env.TWILIO_ACCOUNT_SID, authToken: env.TWILIO_AUTH_TOKEN, from: env.TWILIO_FROM } : undefined;

await runServiceProcess({
  name: "notification",
  env: process.env,
  defaultPort: 8088,
  create: (deps) =>
    createService({
      ...deps,
      ...(env.NOTIFICATION_SECRETS_KEY ? { secretsKey: env.NOTIFICATION_SECRETS_KEY } : {}),
      ...(orderUrl ? { order: { baseUrl: orderUrl } } : {}),
      ...(tenantUrl ? { tenant: { baseUrl: tenantUrl } } : {}),
      transports: {
        ...(env.SMTP_URL ? { smtpUrl: env.SMTP_URL } : {}),
        ...(env.SENDGRID_API_KEY ? { sendgridApiKey: env.SENDGRID_API_KEY } : {}),
        ...(twilio ? { twilio } : {}),
        webPush: (env.NOTIFICATION_WEB_PUSH ?? (env.NODE_ENV === "production" ? "true" : "false")) === "true",
      },
      // In production a store's SMTP host and browsers' push endpoints must be public addresses.
      providers: { allowPrivateHosts: env.NODE_ENV !== "production" },
      notification: {
        ...(env.NOTIFICATION_FROM ? { defaultFrom: env.NOTIFICATION_FROM } : {}),
        ...(env.NOTIFICATION_LINK_BASE ? { linkBase: env.NOTIFICATION_LINK_BASE } : {}),
      },
    }),
});
