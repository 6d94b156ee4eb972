import { z } from "zod";
import { runServiceProcess } from "@bazaar/service-kit/service/main";
import { createService } from "./app.ts";

// The only file with side effects: run the order service as its own process. The cart, inventory and
// payment services are named in SERVICE_URLS (`cart=http://cart:8084,inventory=...,payment=...`).
const env = z.object({ SERVICE_URLS: z.string().default("") }).parse(process.env);
const urls = Object.fromEntries(env.SERVICE_URLS.split(",").filter(Boolean).map((p) => p.split("=") as [string, string]));
const target = (name: string) => {
  const url = urls[name];
  if (!url) throw new Error(`order: name ${name} in SERVICE_URLS`);
  return { baseUrl: url };
};

await runServiceProcess({
  name: "order",
  env: process.env,
  defaultPort: 8085,
  create: (deps) => createService({ ...deps, cart: target("cart"), inventory: target("inventory"), payment: target("payment") }),
});
