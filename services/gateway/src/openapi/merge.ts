import type { ServiceClient } from "@bazaar/service-kit/clients";

type Doc = { paths?: Record<string, unknown>; components?: { schemas?: Record<string, unknown> } };

/** One OpenAPI 3.1 document for the public API, merged from what each service describes of itself. */
export async function mergedOpenApi(clients: ServiceClient[]): Promise<Record<string, unknown>> {
  const docs = await Promise.all(clients.map((c) => c.call<never>("/openapi.json").catch(() => undefined) as Promise<Doc | undefined>));
  const paths: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = {};
  for (const d of docs) {
    if (!d) continue;
    for (const [p, v] of Object.entries(d.paths ?? {})) if (p.startsWith("/api/") || p.startsWith("/auth/") || p.startsWith("/webhooks/")) paths[p] = v;
    Object.assign(schemas, d.components?.schemas ?? {});
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Bazaar API",
      version: "1.0.0",
      description:
        "Public API of Bazaar. The store is chosen by host name or the `X-Tenant` header; errors are application/problem+json (RFC 9457).",
    },
    servers: [{ url: "/" }],
    components: {
      schemas,
      securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
      parameters: { XTenant: { name: "X-Tenant", in: "header", schema: { type: "string" }, description: "Store slug" } },
    },
    paths,
  };
}
