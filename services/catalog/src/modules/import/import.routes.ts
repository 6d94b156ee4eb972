import { createRoute, z } from "@hono/zod-openapi";
import { ImportProduct, PageQuery, Problem, page } from "@bazaar/contracts";
import { AppError, problemOf } from "@bazaar/service-kit/errors";
import { createRouter } from "@bazaar/service-kit/http";
import { findImport, listImports } from "./import.repo.ts";
import { ImportJob, ImportProblem, ImportQuery, ImportSummary } from "./import.schemas.ts";
import { runImport, toJob, type ImportDeps } from "./import.service.ts";
import type { ImportFormat } from "./import.types.ts";

export const IMPORTS_PATH = "/api/v1/admin/imports";
/** Default largest import file (the gateway's import body limit should match). */
export const IMPORT_MAX_BYTES = 50 * 1024 * 1024;

const problem = { "application/problem+json": { schema: Problem } };
const json = <T extends z.ZodType>(schema: T) => ({ "application/json": { schema } });
const ID_RE = /^imp_[0-9a-z]{26}$/;

/** The format a Content-Type names, if any. */
export function formatOf(contentType: string | undefined): ImportFormat | undefined {
  const essence = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (essence === "text/csv" || essence === "application/csv") return "csv";
  if (essence === "application/json") return "json";
  if (["application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines", "application/jsonlines"].includes(essence)) return "ndjson";
  return undefined;
}

// The body is documented, not validated by the router: it is streamed through the import's own reader.
const productSchema = z.toJSONSchema(ImportProduct, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
delete productSchema.$schema;
const importBody = {
  required: true,
  description: "The products: CSV (one row per variant), a JSON array of ImportProduct, or NDJSON (one ImportProduct per line).",
  content: {
    "text/csv": { schema: { type: "string" as const } },
    "application/json": { schema: { type: "array" as const, items: productSchema } },
    "application/x-ndjson": { schema: { type: "string" as const } },
  },
};

export function importRoutes(deps: ImportDeps & { maxBytes?: number }) {
  const { tenancy } = deps;
  return createRouter()
    .openapi(
      createRoute({
        method: "post",
        path: IMPORTS_PATH,
        tags: ["Merchant"],
        summary: "Bulk import products from CSV, JSON or NDJSON",
        description:
          "Streams the file through the reader and checker, then writes every product in one transaction (a product whose slug exists is updated and its variants replaced). Answers when the import has finished; meanwhile `GET /api/v1/admin/imports` shows its progress. A file with any invalid row changes nothing (422 with the report) unless `skipInvalid=true`.",
        request: { query: ImportQuery, body: importBody as never },
        responses: {
          200: { description: "Dry run: the file is valid (or skipInvalid); counts say what would be created and updated", content: json(ImportJob) },
          201: { description: "Imported", content: json(ImportJob) },
          409: { description: "A concurrent change took a slug or SKU; nothing was imported", content: problem },
          413: { description: "The file is larger than the limit", content: problem },
          415: { description: "Not CSV, JSON or NDJSON", content: problem },
          422: { description: "Invalid rows (`errors`: row, field, message); nothing was imported", content: { "application/problem+json": { schema: ImportProblem } } },
        },
      }),
      async (c) => {
        const q = c.req.valid("query");
        const format = q.format ?? formatOf(c.req.header("content-type"));
        if (!format) throw new AppError("unsupported_media_type", "Send CSV (text/csv), a JSON array (application/json) or NDJSON (application/x-ndjson), or name the format with ?format=.");
        const maxBytes = deps.maxBytes ?? IMPORT_MAX_BYTES;
        const length = Number(c.req.header("content-length") ?? "0");
        if (length > maxBytes) throw new AppError("payload_too_large", `Import files are limited to ${maxBytes} bytes; split the file.`);
        const tenantId = c.get("tenant").tenantId;
        const outcome = await runImport(deps, tenantId, c.req.raw.body, {
          format,
          dryRun: q.dryRun ?? false,
          skipInvalid: q.skipInvalid ?? false,
          currency: q.currency,
          maxBytes,
          createdBy: c.get("identity")?.sub,
        });
        const location = `${IMPORTS_PATH}/${outcome.job.id}`;
        if (outcome.status === 422) {
          const body = {
            ...problemOf("validation_failed", { detail: outcome.detail, instance: c.req.path, requestId: c.get("requestId") }),
            errors: outcome.job.errors.map((e) => ({ path: `${e.row}.${e.field}`, ...e })),
            import: outcome.job,
          };
          return c.body(JSON.stringify(body), 422, { "content-type": "application/problem+json", location }) as never;
        }
        c.header("location", location);
        return c.json(outcome.job, outcome.status);
      },
    )
    .openapi(
      createRoute({
        method: "get",
        path: IMPORTS_PATH,
        tags: ["Merchant"],
        summary: "Import jobs, newest first (running ones show their progress)",
        request: { query: PageQuery },
        responses: { 200: { description: "A page of jobs, without their error reports", content: json(page(ImportSummary)) }, 400: { description: "Bad cursor", content: problem } },
      }),
      async (c) => {
        const q = c.req.valid("query");
        let after: string | undefined;
        if (q.cursor) {
          after = Buffer.from(q.cursor, "base64url").toString("utf8");
          if (!ID_RE.test(after)) throw new AppError("bad_request", "The cursor is not valid.");
        }
        const rows = await tenancy.withTenant(c.get("tenant").tenantId, (tx) => listImports(tx, { limit: q.limit, ...(after ? { after } : {}) }));
        const items = rows.slice(0, q.limit).map((r) => {
          const { errors: _report, ...summary } = toJob(r);
          return summary;
        });
        const more = rows.length > q.limit;
        return c.json({ items, nextCursor: more && items.length ? Buffer.from(items.at(-1)!.id).toString("base64url") : null }, 200);
      },
    )
    .openapi(
      createRoute({
        method: "get",
        path: `${IMPORTS_PATH}/{id}`,
        tags: ["Merchant"],
        summary: "One import job: status, counts and the error report (poll it while the import runs)",
        request: { params: z.object({ id: z.string().min(1).max(64) }) },
        responses: { 200: { description: "The job", content: json(ImportJob) }, 404: { description: "Not in this store", content: problem } },
      }),
      async (c) => {
        const { id } = c.req.valid("param");
        const row = ID_RE.test(id) ? await tenancy.withTenant(c.get("tenant").tenantId, (tx) => findImport(tx, id)) : undefined;
        if (!row) throw new AppError("not_found", "No such import in this store.");
        return c.json(toJob(row), 200);
      },
    );
}
