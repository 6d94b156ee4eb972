import { z } from "zod";
import { CurrencyCode, RESERVED_SLUGS, TenantId, TenantSlug } from "../common/index.ts";
import { defineEvent } from "../events/envelope.ts";

export const TenantStatus = z.enum(["provisioning", "active", "failed", "suspended"]);
export const Plan = z.enum(["starter", "growth", "enterprise"]);

export const ThemeTokens = z.object({
  primary: z.string().max(64),
  background: z.string().max(64),
  foreground: z.string().max(64),
  accent: z.string().max(64),
  radius: z.string().max(32),
  font: z.string().max(200),
});
export type ThemeTokens = z.infer<typeof ThemeTokens>;

export const StoreInfo = z.object({
  id: TenantId,
  slug: TenantSlug,
  name: z.string(),
  currency: CurrencyCode,
  theme: ThemeTokens,
  logoUrl: z.string().nullable(),
});
export type StoreInfo = z.infer<typeof StoreInfo>;

export const CreateTenantBody = z.object({
  slug: TenantSlug.refine((s) => !(RESERVED_SLUGS as readonly string[]).includes(s), "this name is reserved"),
  name: z.string().trim().min(1).max(120),
  ownerEmail: z.email(),
  plan: Plan.default("starter"),
  currency: CurrencyCode.default("USD"),
  theme: ThemeTokens.partial().optional(),
});
export type CreateTenantBody = z.infer<typeof CreateTenantBody>;

export const ServiceProvisioning = z.object({
  service: z.string(),
  status: z.enum(["pending", "ready", "failed"]),
  error: z.string().nullable(),
  attempts: z.number().int(),
  updatedAt: z.string(),
});

export const Tenant = z.object({
  id: TenantId,
  slug: TenantSlug,
  name: z.string(),
  ownerEmail: z.string(),
  plan: Plan,
  currency: CurrencyCode,
  status: TenantStatus,
  domains: z.array(z.string()),
  createdAt: z.string(),
  services: z.array(ServiceProvisioning),
});
export type Tenant = z.infer<typeof Tenant>;

export const UpdateTenantBody = z.object({
  status: z.enum(["active", "suspended"]).optional(),
  name: z.string().trim().min(1).max(120).optional(),
});

/** What the gateway needs to route a request to a store. */
export const TenantResolution = z.object({
  id: TenantId,
  slug: TenantSlug,
  name: z.string(),
  currency: CurrencyCode,
  status: TenantStatus,
});
export type TenantResolution = z.infer<typeof TenantResolution>;

export const TenantEvents = {
  created: defineEvent({
    type: "tenant.tenant.created",
    version: 1,
    topic: "tenants",
    schema: z.object({ slug: TenantSlug, name: z.string(), plan: Plan, currency: CurrencyCode, ownerEmail: z.string() }),
  }),
  statusChanged: defineEvent({
    type: "tenant.tenant.status_changed",
    version: 1,
    topic: "tenants",
    schema: z.object({ status: TenantStatus }),
  }),
};
