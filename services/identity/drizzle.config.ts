import { defineConfig } from "drizzle-kit";

// Tenant track: one realm's tables without a schema name; search_path picks the tenant's schema at run time.
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/db/schema",
  out: "./migrations/tenant",
});
