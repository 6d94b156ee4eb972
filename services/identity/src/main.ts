import { parseConfig } from "@bazaar/service-kit/config";
import { runServiceProcess } from "@bazaar/service-kit/service/main";
import { createService } from "./app.ts";
import { identityConfigSchema } from "./config.ts";

// The only file with side effects: run the identity service as its own process.
const config = parseConfig(identityConfigSchema, process.env);
await runServiceProcess({
  name: "identity",
  env: process.env,
  defaultPort: 8082,
  create: (deps) =>
    createService({
      ...deps,
      publicUrl: config.PUBLIC_URL,
      ...(config.STOREFRONT_ORIGINS ? { storefrontOrigins: config.STOREFRONT_ORIGINS } : {}),
      ...(config.ADMIN_ORIGINS ? { adminOrigins: config.ADMIN_ORIGINS } : {}),
      ...(config.KEYCLOAK_URL && config.KEYCLOAK_ADMIN_PASSWORD
        ? { keycloak: { url: config.KEYCLOAK_URL, adminUser: config.KEYCLOAK_ADMIN_USER, adminPassword: config.KEYCLOAK_ADMIN_PASSWORD } }
        : {}),
    }),
});
