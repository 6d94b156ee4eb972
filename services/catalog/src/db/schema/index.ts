export * from "./products.ts";
