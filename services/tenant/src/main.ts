import { z } from "zod";
import { createServiceClient, provisioningClient } from "@bazaar/service-kit/clients";
import { runServiceProcess } from "@bazaar/service-kit/service/main";
import { createService } from "./app.ts";

// The only file with side effects: the tenant service as its own process. SERVICE_URLS names every
// service it provisions (`catalog=http://catalog:8083,...`).
const env = z
  .object({
    SERVICE_URLS: z.string().min(1, "SERVICE_URLS must list name=url pairs"),
    STORE_DOMAIN: z.string().default("localhost"),
  })
  .parse(process.env);
const urls = Object.fromEntries(env.SERVICE_URLS.split(",").map((p) => p.split("=") as [string, string]));
const provisioned = ["identity", "catalog", "cart", "order", "payment", "inventory", "notification", "recommendation"];

await runServiceProcess({
  name: "tenant",
  env: process.env,
  defaultPort: 8081,
  create: (deps, config) =>
    createService({
      ...deps,
      storeDomain: env.STORE_DOMAIN,
      services: provisioned.map((name) => {
        const baseUrl = urls[name];
        if (!baseUrl) throw new Error(`SERVICE_URLS has no ${name}`);
        return provisioningClient(createServiceClient({ service: name, target: { baseUrl }, secret: config.INTERNAL_SECRET }));
      }),
    }),
});
