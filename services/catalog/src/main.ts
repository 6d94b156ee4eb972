import { runServiceProcess } from "@bazaar/service-kit/service/main";
import { createService } from "./app.ts";

// The only file with side effects: run the catalog service as its own process.
await runServiceProcess({ name: "catalog", env: process.env, defaultPort: 8083, create: (deps) => createService({ ...deps, env: process.env }) });
