import { defineConfig } from "drizzle-kit";

// Platform track: signing keys only (shared by every realm), in this service's public schema.
export default defineConfig({ dialect: "postgresql", schema: "./src/db/platform-schema", out: "./migrations/platform" });
