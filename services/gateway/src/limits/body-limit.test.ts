import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { limitBodies } from "./body-limit.ts";

/** An app whose handler reads the body as a stream and reports its size (as a service behind the gateway does). */
function app() {
  const a = new Hono();
  a.use("*", limitBodies({ maxBytes: 1024, streamed: { "/imports": 10_000 } }));
  a.post("*", async (c) => {
    let n = 0;
    const reader = c.req.raw.body!.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        n += value.byteLength;
      }
    } catch {
      return c.text("read failed", 500);
    }
    return c.json({ bytes: n });
  });
  return a;
}

/** A body sent in chunks without Content-Length (chunked transfer). */
function chunked(total: number, chunk = 1000): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent >= total) return controller.close();
      const n = Math.min(chunk, total - sent);
      sent += n;
      controller.enqueue(new Uint8Array(n).fill(120));
    },
  });
}

const post = (path: string, body: string | ReadableStream<Uint8Array>, headers: Record<string, string> = {}) =>
  app().request(path, { method: "POST", body, headers, duplex: "half" } as RequestInit);

describe("limitBodies", () => {
  it("keeps the ordinary limit for every other path: a 10 MB description is a 413 problem", async () => {
    const body = JSON.stringify({ name: "x", description: "d".repeat(10 * 1024 * 1024) });
    const res = await post("/api/v1/admin/products", body, { "content-type": "application/json" });
    expect(res.status).toBe(413);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect((await res.json()) as { code: string }).toMatchObject({ code: "payload_too_large", status: 413 });
    expect((await post("/api/v1/admin/products", chunked(2000))).status).toBe(413);
    expect(await (await post("/api/v1/admin/products", "x".repeat(1000))).json()).toEqual({ bytes: 1000 });
  });

  it("lets a streamed path through up to its own limit, streamed and chunked", async () => {
    expect(await (await post("/imports", chunked(9000))).json()).toEqual({ bytes: 9000 });
    expect(await (await post("/imports", "x".repeat(9000))).json()).toEqual({ bytes: 9000 });
  });

  it("refuses a streamed body past its limit, by Content-Length or by counting", async () => {
    const declared = await post("/imports", "x".repeat(10_001));
    expect(declared.status).toBe(413);
    const counted = await post("/imports", chunked(20_000));
    expect(counted.status).toBe(413);
    expect(counted.headers.get("content-type")).toBe("application/problem+json");
  });
});
