export * from "./common/index.ts";
export * from "./events/envelope.ts";
export * from "./tenant/index.ts";
export * from "./internal/index.ts";
export * from "./catalog/index.ts";
export * from "./identity/index.ts";
export * from "./cart/index.ts";
