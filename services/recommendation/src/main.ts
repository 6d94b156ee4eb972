import { runServiceProcess } from "@bazaar/service-kit/service/main";
import { createService } from "./app.ts";

// The only file with side effects: run the recommendation service as its own process.
await runServiceProcess({ name: "recommendation", env: process.env, defaultPort: 8089, create: (deps) => createService(deps) });
