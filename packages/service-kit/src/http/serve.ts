import { serve as honoServe } from "@hono/node-server";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "../logging/index.ts";

export interface RunningServer {
  port: number;
  url: string;
  server: Server;
  /** Stop accepting, let in-flight requests finish (up to timeoutMs), then close. */
  close(timeoutMs?: number): Promise<void>;
}

/**
 * Serve a fetch handler on Node with graceful, draining shutdown.
 * @example const s = await serveApp(app.fetch, { port: 8080, logger }); await s.close()
 */
export async function serveApp(
  fetch: (req: Request) => Response | Promise<Response>,
  opts: { port: number; hostname?: string; logger?: Logger; name?: string },
): Promise<RunningServer> {
  const hostname = opts.hostname ?? "127.0.0.1";
  const server = await new Promise<Server>((resolve, reject) => {
    const s = honoServe({ fetch, port: opts.port, hostname }, () => resolve(s as Server)) as Server;
    s.once("error", reject);
  });
  server.keepAliveTimeout = 65_000;
  const port = (server.address() as AddressInfo).port;
  const url = `http://${hostname === "0.0.0.0" ? "127.0.0.1" : hostname}:${port}`;
  opts.logger?.info({ url, name: opts.name }, "listening");
  let closing: Promise<void> | undefined;
  return {
    port,
    url,
    server,
    close(timeoutMs = 10_000) {
      closing ??= new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          server.closeAllConnections();
          resolve();
        }, timeoutMs);
        timer.unref();
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}
