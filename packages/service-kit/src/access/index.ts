import type { MiddlewareHandler } from "hono";
import type { Role } from "@bazaar/contracts";
import { AppError } from "../errors/index.ts";
import type { AppEnv } from "../http/app.ts";

/**
 * Who may call a route: anyone (`public`), any signed-in caller (`authenticated`), or callers holding
 * one of the roles. Declared once per service, in a table keyed by `"METHOD /openapi/{path}"`.
 */
export type Access = "public" | "authenticated" | readonly Role[];
export type AccessTable = Readonly<Record<string, Access>>;

interface CompiledRule {
  method: string;
  pattern: RegExp;
  key: string;
  access: Access;
}

function compile(table: AccessTable): CompiledRule[] {
  return Object.entries(table).map(([key, access]) => {
    const [method, path] = key.split(" ");
    if (!method || !path) throw new Error(`access table key "${key}" is not "METHOD /path"`);
    const pattern = new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\\?\{[^}]+\\?\}/g, "[^/]+").replace(/\{[^}]+\}/g, "[^/]+")}$`);
    return { method: method.toUpperCase(), pattern, key, access };
  });
}

/** The rule for a request, or undefined when the route is not declared. */
export function findAccess(rules: CompiledRule[], method: string, path: string): CompiledRule | undefined {
  const m = method === "HEAD" ? "GET" : method;
  return rules.find((r) => r.method === m && r.pattern.test(path));
}

/**
 * Enforce a service's access table on `/api/*`: an undeclared route is refused (fail closed), a
 * missing caller is 401, a caller without a listed role is 403.
 * @example app.use("/api/*", accessControl(ACCESS))
 */
export function accessControl(table: AccessTable): MiddlewareHandler<AppEnv> {
  const rules = compile(table);
  return async function accessControl(c, next) {
    if (c.req.method === "OPTIONS") return next();
    const rule = findAccess(rules, c.req.method, c.req.path);
    if (!rule) throw new AppError("not_found", `No route for ${c.req.method} ${c.req.path}.`);
    if (rule.access !== "public") {
      const identity = c.get("identity");
      if (!identity) throw new AppError("unauthorized", "Sign in to do this.");
      if (rule.access !== "authenticated" && !identity.roles.some((r) => (rule.access as readonly Role[]).includes(r))) {
        throw new AppError("forbidden", `This needs one of the roles: ${(rule.access as readonly Role[]).join(", ")}.`);
      }
    }
    await next();
  };
}

/** Annotate an OpenAPI document's operations with who may call them (`x-bazaar-access`, `security`). */
export function annotateOpenApi(doc: { paths?: Record<string, Record<string, unknown>> }, table: AccessTable) {
  for (const [key, access] of Object.entries(table)) {
    const [method, path] = key.split(" ");
    const op = doc.paths?.[path ?? ""]?.[(method ?? "").toLowerCase()] as Record<string, unknown> | undefined;
    if (!op) continue;
    op["x-bazaar-access"] = access;
    if (access !== "public") op.security = [{ bearer: [] }];
    const who = access === "public" ? "Anyone." : access === "authenticated" ? "Any signed-in caller." : `Roles: ${access.join(", ")}.`;
    op.description = `${(op.description as string | undefined) ?? ""}\n\n**Access:** ${who}`.trim();
  }
  return doc;
}
