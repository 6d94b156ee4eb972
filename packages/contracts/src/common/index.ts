import { z } from "zod";

/** A store's public handle: lowercase letters, digits and inner hyphens, 2-40 chars. */
export const TenantSlug = z
  .string()
  .min(2)
  .max(40)
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])$/, "lowercase letters, digits and inner hyphens only");
export type TenantSlug = z.infer<typeof TenantSlug>;

/** Slugs no store may take: realm and host names the platform uses itself. */
export const RESERVED_SLUGS = ["platform", "admin", "api", "auth", "www", "app", "docs", "static", "internal"] as const;

/** Tenant ids are `ten_` + a lowercase ULID; the schema name is derived from them, never from input. */
export const TenantId = z.string().regex(/^ten_[0-9a-z]{26}$/, "not a tenant id");
export type TenantId = z.infer<typeof TenantId>;

export const CurrencyCode = z.string().regex(/^[A-Z]{3}$/, "ISO 4217 code, e.g. USD");

/** Money is integer minor units plus a currency; never a float. */
export const Money = z.object({
  amount: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  currency: CurrencyCode,
});
export type Money = z.infer<typeof Money>;

export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
});
export type PageQuery = z.infer<typeof PageQuery>;

export const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export const FieldError = z.object({ path: z.string(), message: z.string() });

/** RFC 9457 problem details as Bazaar renders them. */
export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  instance: z.string().optional(),
  code: z.string(),
  requestId: z.string().optional(),
  errors: z.array(FieldError).optional(),
});
export type Problem = z.infer<typeof Problem>;
