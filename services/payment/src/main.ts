import { runServiceProcess } from "@bazaar/service-kit/service/main";
import { createService } from "./app.ts";

// The only file with side effects: run the payment service as its own process.
// Gateway credentials are sealed with PAYMENT_SECRETS_KEY. In production (NODE_ENV=production, as the
// Docker image sets) it is required; elsewhere (`pnpm start:processes`) a key derived from the
// internal secret stands in, as in the embedded profile. In production the built-in test gateway is
// off until a store enables it (with its own webhook secret).
const secretsKey = process.env.PAYMENT_SECRETS_KEY;
if (!secretsKey && process.env.NODE_ENV === "production") {
  throw new Error("PAYMENT_SECRETS_KEY is required in production (32 bytes, hex or base64): it seals the stores' gateway credentials");
}
await runServiceProcess({ name: "payment", env: process.env, defaultPort: 8086, create: (deps) => createService({ ...deps, ...(secretsKey ? { secretsKey } : {}), testGatewayByDefault: process.env.NODE_ENV !== "production" }) });
