export * from "./products.ts";
export * from "./taxonomy.ts";
export * from "./imports.ts";
