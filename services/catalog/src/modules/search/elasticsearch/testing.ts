import { Client, errors } from "@elastic/elasticsearch";
import { createRequire } from "node:module";
import type MockModule from "@elastic/elasticsearch-mock";
import type { Tx } from "@bazaar/service-kit/db";
import type { DocumentBatch, DocumentSelection, ProductDocument } from "./documents.ts";
import { createElasticsearchEngine, type ElasticsearchEngineOptions } from "./engine.ts";

/** One request the mocked cluster received. */
export interface Call {
  method: string;
  path: string;
  querystring: Record<string, string>;
  body: unknown;
}

type Reply = (call: Call) => unknown;

// A CommonJS module whose types declare `export default`: under NodeNext only require() agrees with them.
const Mock = createRequire(import.meta.url)("@elastic/elasticsearch-mock") as typeof MockModule.default;

/**
 * A client on `@elastic/elasticsearch-mock` that records every request and answers from routes
 * registered as `"METHOD /path/:param"`; requests nobody answers get a 404 like a missing index.
 */
export function mockCluster() {
  const mock = new Mock();
  const calls: Call[] = [];
  const client = new Client({ node: "http://es.test:9200", Connection: mock.getConnection() });
  const routes: { method: string; path: string; reply: Reply }[] = [];
  mock.add({ method: ["GET", "POST", "PUT", "DELETE", "HEAD"], path: "*" }, (params) => {
    const call = { method: String(params.method), path: String(params.path), querystring: params.querystring ?? {}, body: params.body } as Call;
    calls.push(call);
    const route = [...routes].reverse().find((r) => r.method === call.method && match(r.path, call.path));
    if (!route) return notFound("index_not_found_exception");
    return route.reply(call) as Record<string, unknown>;
  });
  return {
    client,
    calls,
    on(route: string, reply: Reply | object) {
      const [method, path] = route.split(" ") as [string, string];
      routes.push({ method, path, reply: typeof reply === "function" ? (reply as Reply) : () => reply });
    },
    /** The calls to `METHOD /path` (patterns as in `on`). */
    sent(route: string): Call[] {
      const [method, path] = route.split(" ") as [string, string];
      return calls.filter((c) => c.method === method && match(path, c.path));
    },
  };
}

function match(pattern: string, path: string): boolean {
  const a = pattern.split("/");
  const b = path.split("/");
  return a.length === b.length && a.every((seg, i) => seg.startsWith(":") || seg === b[i]);
}

export function notFound(type: string) {
  return new errors.ResponseError({ body: { error: { type, reason: "no such index" }, status: 404 }, statusCode: 404, headers: {}, warnings: null, meta: {} as never });
}

export const TENANT = "ten_01jd5m3x4s9t2v8w0y1z2a3b4c";
export const ALIAS = `bazaar-${TENANT}-products`;
export const pid = (n: number) => `prod_${String(n).padStart(26, "0")}`;

export function doc(n: number, over: Partial<ProductDocument> = {}): ProductDocument {
  return {
    id: pid(n),
    slug: `p-${n}`,
    name: `Product ${n}`,
    description: "",
    price_amount: 1000 * n,
    currency: "USD",
    status: "active",
    in_stock: true,
    created_at: "2026-01-01T00:00:00.000Z",
    image: null,
    brand_id: null,
    brand_slug: null,
    brand_name: null,
    brand_facet: null,
    category_ids: [],
    category_slugs: [],
    category_names: [],
    category_facets: [],
    attr: {},
    attr_text: [],
    attr_facets: [],
    words: ["product"],
    ...over,
  };
}

/** An engine on the mocked cluster whose "database" is `docs` (each read gets `version`). */
export function engineOn(cluster: ReturnType<typeof mockCluster>, docs: ProductDocument[], over: Partial<ElasticsearchEngineOptions> = {}) {
  const reads: DocumentSelection[] = [];
  const tx = {} as Tx;
  const load = async (_tx: Tx, sel: DocumentSelection): Promise<DocumentBatch> => {
    reads.push(sel);
    const sorted = [...docs].sort((a, b) => (a.id < b.id ? -1 : 1));
    const picked = "ids" in sel ? sorted.filter((d) => sel.ids.includes(d.id)) : sorted.filter((d) => d.id > sel.after).slice(0, sel.limit);
    return { version: 1_700_000_000_000_000 + reads.length, docs: picked };
  };
  const engine = createElasticsearchEngine({
    client: cluster.client,
    tenancy: { withTenant: (_tenantId, fn) => fn(tx) as never },
    loadDocuments: load,
    readVersion: async () => 1_800_000_000_000_000,
    ...over,
  });
  return { engine, reads, tx };
}
