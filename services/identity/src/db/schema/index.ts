export * from "./accounts.ts";
export * from "./tokens.ts";
export * from "./clients.ts";
