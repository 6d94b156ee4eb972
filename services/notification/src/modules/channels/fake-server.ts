import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";

export interface FakeRequest {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  raw: Buffer;
  body: string;
}

type Answer = { status: number; body?: unknown; headers?: Record<string, string> };
export type FakeHandler = (req: FakeRequest) => Answer | Promise<Answer>;

/** A provider stand-in on 127.0.0.1 (SendGrid, Twilio, a push service) for tests: records requests, answers with `handler`. */
export async function startFake(handler: FakeHandler, tls?: { key: string; cert: string }): Promise<{ url: string; requests: FakeRequest[]; close: () => Promise<void> }> {
  const requests: FakeRequest[] = [];
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      const r: FakeRequest = { method: req.method ?? "GET", path: req.url ?? "/", headers: req.headers, raw, body: raw.toString("utf8") };
      requests.push(r);
      void Promise.resolve(handler(r)).then((out) => {
        res.writeHead(out.status, { "content-type": "application/json", ...out.headers });
        res.end(out.body === undefined ? "" : JSON.stringify(out.body));
      });
    });
  };
  const server = tls ? createHttpsServer(tls, listener) : createServer(listener);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return { url: `${tls ? "https" : "http"}://127.0.0.1:${port}`, requests, close: () => new Promise((r) => server.close(() => r())) };
}
