export * from "./bus.ts";
export * from "./in-process.ts";
export * from "./outbox.ts";
export * from "./consumer.ts";
