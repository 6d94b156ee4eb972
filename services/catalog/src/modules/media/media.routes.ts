import { createRoute, z } from "@hono/zod-openapi";
import { Problem } from "@bazaar/contracts";
import { createRouter, problemResponse } from "@bazaar/service-kit/http";
import { DemoImageParams, parseDemoImage, renderDemoImage } from "../../demo/media.ts";

/** An SVG may carry script: this one never does, and the policy makes sure nothing in it could run. */
export const SVG_HEADERS = {
  "content-type": "image/svg+xml; charset=utf-8",
  "cache-control": "public, max-age=31536000, immutable",
  "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'",
  "x-content-type-options": "nosniff",
} as const;

const Params = z.object({
  kind: DemoImageParams.shape.kind.openapi({ param: { name: "kind", in: "path" }, example: "apparel" }),
  file: DemoImageParams.shape.file.openapi({ param: { name: "file", in: "path" }, example: "1-210.svg" }),
});

/**
 * Demo product pictures, drawn on request (no storage, no network). The same for every store: the
 * store named by the request is not used. Unknown pictures are 404, never 422: a broken image URL.
 */
export function mediaRoutes() {
  return createRouter().openapi(
    createRoute({
      method: "get",
      path: "/api/v1/media/demo/{kind}/{file}",
      tags: ["Storefront"],
      summary: "A demo product picture (SVG)",
      request: { params: Params },
      responses: {
        200: { description: "The picture", content: { "image/svg+xml": { schema: z.string() } } },
        404: { description: "No such picture", content: { "application/problem+json": { schema: Problem } } },
      },
    }),
    (c) => {
      const { kind, file } = c.req.valid("param");
      const picture = parseDemoImage(kind, file);
      const svg = picture && renderDemoImage(kind, picture);
      if (!svg) return problemResponse(c, "not_found", { detail: "No such demo picture." });
      return c.body(svg, 200, SVG_HEADERS);
    },
    (result, c) => {
      if (!result.success) return problemResponse(c, "not_found", { detail: "No such demo picture." });
      return undefined;
    },
  );
}
