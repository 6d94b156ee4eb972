import { z } from "zod";
import { baseConfigSchema, parseConfig } from "../config/index.ts";
import { createDatabase, databaseUrlWithName, ensureDatabase } from "../db/index.ts";
import type { EventBus } from "../events/bus.ts";
import { InProcessBus } from "../events/in-process.ts";
import { KafkaBus } from "../events/kafka.ts";
import { Topics } from "@bazaar/contracts";
import { serveApp } from "../http/serve.ts";
import { createLogger, type Logger } from "../logging/index.ts";
import type { CoreDeps, ServiceHandle } from "./index.ts";

/** Pick the event transport from configuration, once (ARCHITECTURE.md: service code never branches on it). */
export function createBus(opts: { brokers?: string | undefined; clientId: string; createTopics?: boolean; logger: Logger }): EventBus {
  if (!opts.brokers) return new InProcessBus();
  return new KafkaBus({
    brokers: opts.brokers.split(","),
    clientId: opts.clientId,
    logger: opts.logger,
    ...(opts.createTopics ? { createTopics: { topics: [...Topics] } } : {}),
  });
}

/**
 * `main.ts` of a service run as its own process (production topology): config from env, its own
 * database, Kafka when KAFKA_BROKERS is set, HTTP on PORT, draining shutdown on SIGTERM/SIGINT.
 */
export async function runServiceProcess(opts: {
  name: string;
  env: Record<string, string | undefined>;
  defaultPort: number;
  create: (deps: CoreDeps, config: z.infer<typeof baseConfigSchema>) => ServiceHandle;
}): Promise<void> {
  const config = parseConfig(baseConfigSchema.extend({ DATABASE_URL: z.string().url("DATABASE_URL must be a postgres:// URL") }), opts.env);
  const logger = createLogger({ service: opts.name, level: config.LOG_LEVEL });
  const url = config.DATABASE_URL;
  const dbName = new URL(url).pathname.slice(1);
  await ensureDatabase(databaseUrlWithName(url, "postgres"), dbName).catch((err) => logger.warn({ err }, "could not ensure database exists"));
  const database = createDatabase(url, { max: config.DB_POOL_MAX });
  const bus = createBus({ brokers: config.KAFKA_BROKERS, clientId: `bazaar-${opts.name}`, createTopics: config.KAFKA_CREATE_TOPICS, logger });
  if (bus.kind === "in-process") logger.warn("KAFKA_BROKERS is not set: events stay inside this process");
  const service = opts.create({ logger, database, bus, secret: config.INTERNAL_SECRET }, config);
  await service.start();
  const server = await serveApp(service.app.fetch, { port: config.PORT ?? opts.defaultPort, hostname: "0.0.0.0", logger, name: opts.name });
  const shutdown = async (signal: string) => {
    logger.info({ signal }, "draining");
    await server.close(config.SHUTDOWN_TIMEOUT_MS);
    await service.stop();
    await bus.close();
    await database.close();
    process.exit(0);
  };
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));
}
