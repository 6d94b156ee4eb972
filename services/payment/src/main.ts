import { runServiceProcess } from "@bazaar/service-kit/service/main";
import { createService } from "./app.ts";

// The only file with side effects: run the payment service as its own process.
await runServiceProcess({ name: "payment", env: process.env, defaultPort: 8086, create: (deps) => createService(deps) });
