import { runServiceProcess } from "@bazaar/service-kit/service/main";
import { createService } from "./app.ts";

// The only file with side effects: run the identity service as its own process.
await runServiceProcess({ name: "identity", env: process.env, defaultPort: 8082, create: (deps) => createService(deps) });
