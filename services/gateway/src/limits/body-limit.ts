import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { problemResponse } from "@bazaar/service-kit/http";

export interface BodyLimitOptions {
  /** Limit of every body not named in `streamed` (hono's bodyLimit: a chunked body is read into memory, at most this much). */
  maxBytes: number;
  /** Paths whose bodies pass through as a stream, counted on the way, with a limit of their own (bulk imports). */
  streamed?: Record<string, number>;
}

const tooLarge = (c: Context, maxBytes: number) => problemResponse(c, "payload_too_large", { detail: `Bodies are limited to ${maxBytes} bytes.` });

/**
 * Body limits at the edge. Requests that may carry a body only: looking at the body of a GET makes
 * @hono/node-server build a full web Request (stream, abort signal), which costs more than the rest
 * of a cached read. A streamed path is never buffered here: its body is counted as the service reads
 * it, and a body that runs past the limit is cut off and answered with 413 whatever the service said.
 * @example app.use("*", limitBodies({ maxBytes: 1 << 20, streamed: { "/api/v1/admin/imports": 50 << 20 } }))
 */
export function limitBodies(opts: BodyLimitOptions): MiddlewareHandler {
  const buffered = bodyLimit({ maxSize: opts.maxBytes, onError: (c) => tooLarge(c, opts.maxBytes) });
  const streamed = new Map(Object.entries(opts.streamed ?? {}));
  return async function limitBodies(c, next) {
    if (c.req.method === "GET" || c.req.method === "HEAD" || c.req.method === "OPTIONS") return next();
    const max = streamed.get(c.req.path);
    if (max === undefined) return buffered(c, next);
    const declared = c.req.header("content-length");
    if (declared !== undefined && Number(declared) > max) return tooLarge(c, max);
    const body = c.req.raw.body;
    if (!body) return next();
    let seen = 0;
    let cut = false;
    const counted = body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          seen += chunk.byteLength;
          if (seen > max) {
            cut = true;
            controller.error(new Error(`request body over ${max} bytes`));
            return;
          }
          controller.enqueue(chunk);
        },
      }),
    );
    c.req.raw = new Request(c.req.raw, { body: counted, duplex: "half" } as RequestInit);
    await next();
    if (cut) c.res = tooLarge(c, max);
  };
}
