import { runServiceProcess } from "@bazaar/service-kit/service/main";
import { createService } from "./app.ts";

// The only file with side effects: run the notification service as its own process.
await runServiceProcess({ name: "notification", env: process.env, defaultPort: 8088, create: (deps) => createService(deps) });
