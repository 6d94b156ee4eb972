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
  PUBLIC_URL: z.string().url().default("http://localhost:8080"),
  KEYCLOAK_URL: z.string().url().optional(),
  KEYCLOAK_ADMIN_USER: z.string().min(1).default("admin"),
  KEYCLOAK_ADMIN_PASSWORD: z.string().min(1).optional(),
  /** Requests per minute; 0 turns a limit off. */
  RATE_LIMIT_IP_PER_MIN: z.coerce.number().int().min(0).default(6000),
  RATE_LIMIT_TOKEN_PER_MIN: z.coerce.number().int().min(0).default(6000),
  RATE_LIMIT_STORE_PER_MIN: z.coerce.number().int().min(0).default(0),
});
export type RunnerConfig = z.infer<typeof runnerConfigSchema>;

export const loadRunnerConfig = (env: Record<string, string | undefined>) => parseConfig(runnerConfigSchema, env);
