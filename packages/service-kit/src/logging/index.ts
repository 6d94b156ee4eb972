import { pino, type Logger, type LoggerOptions } from "pino";

export type { Logger };

/**
 * JSON logger; request-scoped children carry requestId, tenantId and traceId.
 * @example const log = createLogger({ service: "catalog", level: "info" })
 */
export function createLogger(opts: { service: string; level?: string; destination?: pino.DestinationStream }): Logger {
  const options: LoggerOptions = {
    level: opts.level ?? "info",
    base: { service: opts.service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ["req.headers.authorization", "*.password", "*.secret"], censor: "[redacted]" },
  };
  return opts.destination ? pino(options, opts.destination) : pino(options);
}

/** Extract the trace id from a W3C traceparent header, if well formed. */
export function traceIdOf(traceparent: string | undefined | null): string | undefined {
  const m = traceparent?.match(/^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/);
  return m?.[1];
}
