import { describe, expect, it } from "vitest";
import { createHttpApp } from "@bazaar/service-kit/http";
import { createLogger } from "@bazaar/service-kit/logging";
import { Problem } from "@bazaar/contracts";
import { mediaRoutes } from "./media.routes.ts";

const app = createHttpApp({ service: "catalog-test", logger: createLogger({ service: "test", level: "silent" }) });
app.route("/", mediaRoutes());

describe("GET /api/v1/media/demo/{kind}/{file}", () => {
  it("answers an immutable SVG under a policy that runs nothing", async () => {
    const res = await app.request("/api/v1/media/demo/apparel/1-210.svg");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/svg+xml; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(res.headers.get("content-security-policy")).toBe("default-src 'none'; style-src 'unsafe-inline'");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    const body = await res.text();
    expect(body).toMatch(/^<svg [^>]*>.*<\/svg>$/s);
    expect(await (await app.request("/api/v1/media/demo/apparel/1-210.svg")).text()).toBe(body);
  });

  it("draws greys for black, white and grey products", async () => {
    const res = await app.request("/api/v1/media/demo/apparel/0-k14.svg");
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("hsl(220 6% 14%)");
  });

  it("answers HEAD like GET", async () => {
    const res = await app.request("/api/v1/media/demo/electronics/0-0.svg", { method: "HEAD" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("image/svg+xml");
  });

  it.each([
    "/api/v1/media/demo/furniture/1-1.svg",
    "/api/v1/media/demo/apparel/1-360.svg",
    "/api/v1/media/demo/apparel/1-k101.svg",
    "/api/v1/media/demo/apparel/999-1.svg",
    "/api/v1/media/demo/apparel/01-1.svg",
    "/api/v1/media/demo/apparel/1-1.png",
    "/api/v1/media/demo/apparel/%2e%2e%2f1-1.svg",
    `/api/v1/media/demo/apparel/${"1".repeat(300)}-1.svg`,
    "/api/v1/media/demo/apparel/{file}",
  ])("is a 404 problem for %s", async (path) => {
    const res = await app.request(path);
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(Problem.parse(await res.json()).code).toBe("not_found");
  });
});
