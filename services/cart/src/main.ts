import { runServiceProcess } from "@bazaar/service-kit/service/main";
import { createService } from "./app.ts";

// The only file with side effects: run the cart service as its own process.
await runServiceProcess({ name: "cart", env: process.env, defaultPort: 8084, create: (deps) => createService(deps) });
