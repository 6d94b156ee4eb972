import { runServiceProcess } from "@bazaar/service-kit/service/main";
import { createService } from "./app.ts";

// The only file with side effects: run the inventory service as its own process.
await runServiceProcess({ name: "inventory", env: process.env, defaultPort: 8087, create: (deps) => createService(deps) });
