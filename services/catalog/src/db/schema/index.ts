export * from "./products.ts";
export * from "./taxonomy.ts";
