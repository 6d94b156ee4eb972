import { defineConfig } from "drizzle-kit";

// Tenant track: per-store tables (settings, theme); applied to every tenant schema.
export default defineConfig({ dialect: "postgresql", schema: "./src/db/tenant-schema", out: "./migrations/tenant" });
