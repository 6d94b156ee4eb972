import { runServiceProcess } from "@bazaar/service-kit/service/main";
import { createService } from "./app.ts";

// The only file with side effects: run the order service as its own process.
await runServiceProcess({ name: "order", env: process.env, defaultPort: 8085, create: (deps) => createService(deps) });
