import { z } from "zod";
import { baseConfigSchema, parseConfig } from "@bazaar/service-kit/config";

/** Configuration of the platform runner (`pnpm start`). Unset means the embedded profile. */
export const runnerConfigSchema = baseConfigSchema.extend({
  BAZAAR_DATA_DIR: z.string().default(".data"),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1024).max(65535).default(54329),
  GATEWAY_PORT: z.coerce.number().int().min(1).max(65535).default(8080),
  STOREFRONT_PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  ADMIN_PORT: z.coerce.number().int().min(1).max(65535).default(3001),
  BAZAAR_ADMIN_TOKEN: z.string().min(16).default("bazaar-dev-admin-token"),
  STORE_DOMAIN: z.string().regex(/^[a-z0-9.-]+$/).default("localhost"),
  BAZAAR_APPS: z.enum(["true", "false"]).default("true"),
  BAZAAR_SEED: z.enum(["true", "false"]).default("true"),
});
export type RunnerConfig = z.infer<typeof runnerConfigSchema>;

export const loadRunnerConfig = (env: Record<string, string | undefined>) => parseConfig(runnerConfigSchema, env);
