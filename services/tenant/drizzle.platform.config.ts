import { defineConfig } from "drizzle-kit";

// Platform track: the tenant registry, in this service's public schema.
export default defineConfig({ dialect: "postgresql", schema: "./src/db/platform-schema", out: "./migrations/platform" });
