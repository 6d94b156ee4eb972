import { z } from "zod";

const origins = z
  .string()
  .transform((s) => s.split(",").map((o) => o.trim()).filter(Boolean))
  .pipe(z.array(z.string().regex(/^https?:\/\/[^/\s]+$/, "origins like http://{slug}.localhost:3000, comma-separated")));

/** Identity's own settings on top of the kit's base configuration (parsed once in main.ts). */
export const identityConfigSchema = z.object({
  PUBLIC_URL: z.string().url().default("http://localhost:8080"),
  STOREFRONT_ORIGINS: origins.optional(),
  ADMIN_ORIGINS: origins.optional(),
  KEYCLOAK_URL: z.string().url().optional(),
  KEYCLOAK_ADMIN_USER: z.string().min(1).default("admin"),
  KEYCLOAK_ADMIN_PASSWORD: z.string().min(1).optional(),
});
export type IdentityConfig = z.infer<typeof identityConfigSchema>;
