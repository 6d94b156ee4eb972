import { Redis } from "ioredis";
import RedisMock from "ioredis-mock";
import { z } from "zod";
import { runServiceProcess } from "@bazaar/service-kit/service/main";
import { createService } from "./app.ts";

// The only file with side effects: run the cart service as its own process. Carts live in the Redis
// at REDIS_URL (an in-process emulation without it, fine for one instance); prices come from the
// catalog named in SERVICE_URLS (`catalog=http://catalog:8083,...`) or CATALOG_URL.
const env = z
  .object({
    SERVICE_URLS: z.string().default(""),
    CATALOG_URL: z.string().url().optional(),
    CART_SECURE_COOKIE: z.enum(["true", "false"]).default("false"),
  })
  .parse(process.env);
const urls = Object.fromEntries(env.SERVICE_URLS.split(",").filter(Boolean).map((p) => p.split("=") as [string, string]));
const catalogUrl = env.CATALOG_URL ?? urls.catalog;
if (!catalogUrl) throw new Error("cart: set CATALOG_URL or name catalog in SERVICE_URLS");

await runServiceProcess({
  name: "cart",
  env: process.env,
  defaultPort: 8084,
  create: (deps, config) =>
    createService({
      ...deps,
      redis: config.REDIS_URL ? new Redis(config.REDIS_URL, { maxRetriesPerRequest: 2 }) : new RedisMock(),
      catalog: { baseUrl: catalogUrl },
      cart: { secureCookie: env.CART_SECURE_COOKIE === "true" },
    }),
});
