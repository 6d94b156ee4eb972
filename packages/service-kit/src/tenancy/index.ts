export * from "./context.ts";
export * from "./migrations.ts";
export * from "./tenancy.ts";
export * from "./routes.ts";
export * from "./platform.ts";
