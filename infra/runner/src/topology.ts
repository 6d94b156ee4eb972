/** Every service, its default port when run as its own process, and whether it holds tenant schemas. */
export const SERVICES = [
  { name: "gateway", port: 8080, tenantSchemas: false },
  { name: "tenant", port: 8081, tenantSchemas: true },
  { name: "identity", port: 8082, tenantSchemas: true },
  { name: "catalog", port: 8083, tenantSchemas: true },
  { name: "cart", port: 8084, tenantSchemas: true },
  { name: "order", port: 8085, tenantSchemas: true },
  { name: "payment", port: 8086, tenantSchemas: true },
  { name: "inventory", port: 8087, tenantSchemas: true },
  { name: "notification", port: 8088, tenantSchemas: true },
  { name: "recommendation", port: 8089, tenantSchemas: true },
] as const;

export type ServiceName = (typeof SERVICES)[number]["name"];
export const PROVISIONED = SERVICES.filter((s) => s.tenantSchemas && s.name !== "tenant").map((s) => s.name);

/** One database per service: `bazaar_<service>`. */
export const databaseName = (service: string) => `bazaar_${service}`;

/** `catalog=http://127.0.0.1:8083,cart=...` -> map; used by the tenant service and gateway as processes. */
export function parseServiceUrls(value: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (value ?? "").split(",").filter(Boolean)) {
    const [name, url] = part.split("=");
    if (!name || !url) throw new Error(`SERVICE_URLS: "${part}" is not name=url`);
    out[name.trim()] = url.trim();
  }
  return out;
}
