import { z } from "zod";
import { baseConfigSchema, parseConfig } from "@bazaar/service-kit/config";
import { serveApp } from "@bazaar/service-kit/http";
import { createLogger } from "@bazaar/service-kit/logging";
import { createBus } from "@bazaar/service-kit/service/main";
import { Redis } from "ioredis";
import RedisMock from "ioredis-mock";
import { createService } from "./app.ts";
import { perMinuteRules } from "./rate-limit/limiter.ts";

// The only file with side effects: the gateway as its own process.
const config = parseConfig(
  baseConfigSchema.extend({
    SERVICE_URLS: z.string().min(1, "SERVICE_URLS must list name=url pairs"),
    BAZAAR_ADMIN_TOKEN: z.string().min(16).optional(),
    PUBLIC_URL: z.string().url().default("http://localhost:8080"),
    KEYCLOAK_URL: z.string().url().optional(),
    RATE_LIMIT_IP_PER_MIN: z.coerce.number().int().min(0).default(6000),
    RATE_LIMIT_TOKEN_PER_MIN: z.coerce.number().int().min(0).default(6000),
    RATE_LIMIT_STORE_PER_MIN: z.coerce.number().int().min(0).default(0),
    STORE_DOMAIN: z.string().default("localhost"),
    CORS_ORIGINS: z.string().default(""),
    BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1024 * 1024),
    IMPORT_BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(50 * 1024 * 1024),
  }),
  process.env,
);
const logger = createLogger({ service: "gateway", level: config.LOG_LEVEL });
const services = Object.fromEntries(
  config.SERVICE_URLS.split(",")
    .map((p) => p.split("=") as [string, string])
    .filter(([name]) => name !== "gateway")
    .map(([name, baseUrl]) => [name, { baseUrl }]),
);
const bus = createBus({ brokers: config.KAFKA_BROKERS, clientId: "bazaar-gateway", logger });
// Counters shared by every gateway instance in Redis; one instance alone can count in memory.
const redis = config.REDIS_URL ? new Redis(config.REDIS_URL, { maxRetriesPerRequest: 2 }) : new RedisMock();
const gateway = createService({
  logger,
  ...(bus.kind === "kafka" ? { bus } : {}),
  secret: config.INTERNAL_SECRET,
  ...(config.BAZAAR_ADMIN_TOKEN ? { adminToken: config.BAZAAR_ADMIN_TOKEN } : {}),
  publicUrl: config.PUBLIC_URL,
  ...(config.KEYCLOAK_URL ? { keycloakUrl: config.KEYCLOAK_URL } : {}),
  rateLimit: {
    redis,
    rules: perMinuteRules({ ip: config.RATE_LIMIT_IP_PER_MIN, token: config.RATE_LIMIT_TOKEN_PER_MIN, store: config.RATE_LIMIT_STORE_PER_MIN }),
  },
  storeDomains: [config.STORE_DOMAIN],
  corsOrigins: config.CORS_ORIGINS.split(",").filter(Boolean),
  bodyLimitBytes: config.BODY_LIMIT_BYTES,
  importBodyLimitBytes: config.IMPORT_BODY_LIMIT_BYTES,
  services,
});
await gateway.start();
const server = await serveApp(gateway.app.fetch, { port: config.PORT ?? 8080, hostname: "0.0.0.0", logger, name: "gateway" });
for (const sig of ["SIGTERM", "SIGINT"] as const) {
  process.once(sig, () =>
    void server
      .close(config.SHUTDOWN_TIMEOUT_MS)
      .then(() => gateway.stop())
      .then(() => bus.close())
      .then(() => void redis.disconnect())
      .then(() => process.exit(0)),
  );
}
