export * from "./app.ts";
export * from "./serve.ts";
export { problemResponse } from "../errors/index.ts";
