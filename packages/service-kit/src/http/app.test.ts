import { describe, expect, it } from "vitest";
import { createRoute, z } from "@hono/zod-openapi";
import { AppError } from "../errors/index.ts";
import { createLogger } from "../logging/index.ts";
import { createServiceClient } from "../clients/index.ts";
import { createHttpApp, createRouter } from "./app.ts";

const logger = createLogger({ service: "t", level: "silent" });

function buildApp(opts: { ready?: () => boolean | Promise<boolean> } = {}) {
  const app = createHttpApp({ service: "t", logger, ...opts });
  const routes = createRouter()
    .openapi(
      createRoute({
        method: "post",
        path: "/widgets",
        request: { body: { required: true, content: { "application/json": { schema: z.object({ name: z.string().min(1), price: z.number().int() }) } } } },
        responses: { 201: { description: "Created", content: { "application/json": { schema: z.object({ name: z.string() }) } } } },
      }),
      (c) => c.json({ name: c.req.valid("json").name }, 201),
    );
  app.route("/", routes);
  app.get("/items/:id", (c) => c.json({ id: c.req.param("id") }));
  app.get("/boom/app", () => {
    throw new AppError("conflict", "Slug taken.");
  });
  app.get("/boom/zod", () => {
    z.object({ email: z.string().email() }).parse({ email: "nope" });
    return new Response("unreachable");
  });
  app.get("/boom/plain", () => {
    throw new Error("db password is hunter2");
  });
  app.get("/boom/pg", () => {
    throw new Error("Failed query: insert into products", { cause: Object.assign(new Error("duplicate key value"), { code: "23505" }) });
  });
  return app;
}

async function problemOf(res: Response) {
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  return (await res.json()) as Record<string, unknown>;
}

describe("createHttpApp error handling", () => {
  it("renders an AppError as problem+json with its status", async () => {
    const res = await buildApp().request("/boom/app");
    expect(res.status).toBe(409);
    const body = await problemOf(res);
    expect(body).toMatchObject({
      type: "https://bazaar.dev/problems/conflict",
      title: "Conflict",
      status: 409,
      code: "conflict",
      detail: "Slug taken.",
      instance: "/boom/app",
    });
    expect(body.requestId).toEqual(expect.any(String));
  });

  it("turns a thrown ZodError into 422 with per-field errors", async () => {
    const res = await buildApp().request("/boom/zod");
    expect(res.status).toBe(422);
    const body = await problemOf(res);
    expect(body).toMatchObject({ status: 422, code: "validation_failed", type: "https://bazaar.dev/problems/validation-failed" });
    expect(body.errors).toEqual([{ path: "email", message: expect.any(String) }]);
  });

  it("answers 422 with per-field errors when a route's json body fails its schema", async () => {
    const res = await buildApp().request("/widgets", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "", price: 1.5 }),
    });
    expect(res.status).toBe(422);
    const body = await problemOf(res);
    expect(body.code).toBe("validation_failed");
    expect((body.errors as { path: string }[]).map((e) => e.path).sort()).toEqual(["name", "price"]);
  });

  it("accepts a valid json body", async () => {
    const res = await buildApp().request("/widgets", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "Mug", price: 1200 }),
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ name: "Mug" });
  });

  it("answers 400 problem for a malformed JSON body", async () => {
    const res = await buildApp().request("/widgets", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"name": "Mug",',
    });
    expect(res.status).toBe(400);
    expect(await problemOf(res)).toMatchObject({ status: 400, code: "bad_request", instance: "/widgets" });
  });

  it("hides the message and stack of an unexpected error behind a 500", async () => {
    const res = await buildApp().request("/boom/plain");
    expect(res.status).toBe(500);
    const text = await res.clone().text();
    expect(text).not.toContain("hunter2");
    expect(text).not.toMatch(/at .*\.ts/);
    const body = await problemOf(res);
    expect(body).toMatchObject({ status: 500, code: "internal", title: "Internal server error" });
    expect(Object.keys(body).sort()).toEqual(["code", "detail", "instance", "requestId", "status", "title", "type"]);
  });

  it("maps a Postgres unique violation wrapped in `cause` to 409", async () => {
    const res = await buildApp().request("/boom/pg");
    expect(res.status).toBe(409);
    const body = await problemOf(res);
    expect(body.code).toBe("conflict");
    expect(JSON.stringify(body)).not.toContain("insert into");
  });

  // BUG: toAppError maps every SyntaxError to 400 "Malformed JSON body."; a service client that gets a
  // non-JSON upstream answer (e.g. an HTML 502) throws SyntaxError from JSON.parse and the caller sees 400.
  it("maps a non-JSON upstream answer read by a service client to a 502 problem, not 400", async () => {
    const upstream = { fetch: () => new Response("<h1>Bad Gateway</h1>", { status: 502, headers: { "content-type": "text/html" } }) };
    const client = createServiceClient({ service: "catalog", target: { app: upstream }, secret: "s".repeat(20) });
    const app = createHttpApp({ service: "t", logger });
    app.get("/calls-upstream", async (c) => c.json(await client.call("/x")));
    const res = await app.request("/calls-upstream");
    expect(res.status).toBe(502);
    const body = await problemOf(res);
    expect(body.code).toBe("bad_gateway");
    const okButHtml = createServiceClient({ service: "catalog", target: { app: { fetch: () => new Response("<html>", { status: 200 }) } }, secret: "s".repeat(20) });
    await expect(okButHtml.call("/x")).rejects.toMatchObject({ code: "bad_gateway" });
  });

  it("answers an unknown route with a 404 problem", async () => {
    const res = await buildApp().request("/nope?x=1");
    expect(res.status).toBe(404);
    expect(await problemOf(res)).toMatchObject({ status: 404, code: "not_found", instance: "/nope", detail: "No route for GET /nope." });
  });
});

describe("createHttpApp built-in endpoints", () => {
  it("serves /health", async () => {
    const res = await buildApp().request("/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", service: "t" });
  });

  it("serves /ready from the ready callback", async () => {
    expect((await buildApp().request("/ready")).status).toBe(200);
    expect((await buildApp({ ready: async () => true }).request("/ready")).status).toBe(200);
    const res = await buildApp({ ready: () => false }).request("/ready");
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: "not_ready", service: "t" });
  });

  it("exposes request durations labelled by route pattern on /metrics", async () => {
    const app = buildApp();
    expect((await app.request("/items/42")).status).toBe(200);
    const res = await app.request("/metrics");
    expect(res.status).toBe(200);
    const text = await res.text();
    const sample = text.split("\n").find((l) => l.startsWith("http_request_duration_seconds_count{"));
    expect(sample).toBeDefined();
    expect(sample).toContain('route="/items/:id"');
    expect(sample).toContain('method="GET"');
    expect(sample).toContain('status="200"');
    expect(sample).toContain('service="t"');
    expect(text).not.toContain('route="/metrics"');
  });
});

describe("request ids", () => {
  it("echoes a well-formed x-request-id in the header and the problem body", async () => {
    const res = await buildApp().request("/nope", { headers: { "x-request-id": "abc-123_XYZ" } });
    expect(res.headers.get("x-request-id")).toBe("abc-123_XYZ");
    expect((await problemOf(res)).requestId).toBe("abc-123_XYZ");
  });

  it("generates one when none is sent", async () => {
    const res = await buildApp().request("/nope");
    const id = res.headers.get("x-request-id");
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect((await problemOf(res)).requestId).toBe(id);
  });

  it.each([
    ["contains spaces", "abc def"],
    ["is 500 characters long", "a".repeat(500)],
    ["contains a newline-like injection", "abc%0d%0aset-cookie"],
  ])("replaces an id that %s", async (_what, sent) => {
    const res = await buildApp().request("/nope", { headers: { "x-request-id": sent } });
    const id = res.headers.get("x-request-id");
    expect(id).not.toBe(sent);
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect((await problemOf(res)).requestId).toBe(id);
  });

  // BUG: hono's requestId() accepts "=" but REQUEST_ID_RE does not, so requestContext swaps in a new
  // uuid for logs and the problem body while the response header still echoes the caller's id.
  it.each([["abc="], ["trace.id:1"], ["has space"]])("uses one request id in the header and the problem body for %j", async (given) => {
    const res = await buildApp().request("/boom/app", { headers: { "x-request-id": given } });
    const body = await problemOf(res);
    expect(res.headers.get("x-request-id")).toBe(body.requestId);
  });
});
