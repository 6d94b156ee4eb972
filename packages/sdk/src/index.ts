// Typed client of the Bazaar gateway API (see docs/api.md). Dependency-free: it runs in
// Node (server components, tests) and in the browser. Types are defined here, not imported
// from services, so the SDK describes the public contract only.

import type { Brand, CategoryNode, Product, SearchResult, Suggestion } from "./catalog.ts";
import { searchQuery, type SearchParams } from "./search-query.ts";

export * from "./catalog.ts";
export * from "./search-query.ts";

export interface StoreTheme {
  primary: string;
  background: string;
  foreground: string;
  accent: string;
  radius: string;
  font: string;
}

export interface Store {
  id: string;
  slug: string;
  name: string;
  currency: string;
  theme: StoreTheme;
  logoUrl: string | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PageParams {
  limit?: number;
  cursor?: string | null;
}

export type TenantStatus = "provisioning" | "active" | "failed" | "suspended";

export interface ServiceProvisioning {
  service: string;
  status: "pending" | "ready" | "failed";
  error: string | null;
  attempts: number;
  updatedAt: string;
}

export interface PlatformTenant {
  id: string;
  slug: string;
  name: string;
  status: TenantStatus;
  plan: string;
  currency: string;
  ownerEmail: string;
  domains: string[];
  createdAt: string;
  services: ServiceProvisioning[];
}

export interface FieldError {
  path: string;
  message: string;
}

/** RFC 9457 problem details, as every Bazaar error is answered. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code?: string;
  instance?: string;
  requestId?: string;
  errors?: FieldError[];
}

/** A non-2xx answer of the API. `code` is the stable machine-readable error code. */
export class BazaarApiError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(readonly problem: Problem) {
    super(problem.detail ? `${problem.title}: ${problem.detail}` : problem.title);
    this.name = "BazaarApiError";
    this.status = problem.status;
    this.code = problem.code ?? "unknown";
  }
}

export interface BazaarClientOptions {
  /** Gateway origin, e.g. `http://127.0.0.1:8080`. */
  baseUrl: string;
  /** Store slug, sent as `X-Tenant`. */
  tenant?: string;
  /** Access token, sent as `Authorization: Bearer`. */
  token?: string;
  fetch?: typeof fetch;
  /** Extra headers for every request. */
  headers?: Record<string, string>;
  /** Abort a request that takes longer than this (ms). No limit when unset. */
  timeoutMs?: number;
}

export type BazaarClient = ReturnType<typeof createBazaarClient>;

/** Per call: e.g. an AbortSignal to drop a stale autocomplete request. */
export interface CallOptions {
  signal?: AbortSignal;
}

function pageQuery(params: Record<string, string | number | null | undefined>): URLSearchParams {
  const out = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== "") out.set(k, String(v));
  return out;
}

export function createBazaarClient(options: BazaarClientOptions) {
  const base = options.baseUrl.replace(/\/+$/, "");
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);

  async function request<T>(path: string, query?: URLSearchParams, init: CallOptions = {}): Promise<T> {
    const url = new URL(base + path);
    const search = query?.toString();
    if (search) url.search = search;
    const headers: Record<string, string> = { accept: "application/json", ...options.headers };
    if (options.tenant) headers["x-tenant"] = options.tenant;
    if (options.token) headers["authorization"] = `Bearer ${options.token}`;

    const signals = [init.signal, options.timeoutMs ? AbortSignal.timeout(options.timeoutMs) : undefined].filter((s) => s !== undefined);
    const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
    const res = await doFetch(url, { headers, cache: "no-store", signal });
    if (!res.ok) throw new BazaarApiError(await readProblem(res));
    return (await res.json()) as T;
  }

  return {
    /** The current store: name, currency, theme tokens, logo. */
    store: () => request<Store>("/api/v1/store"),
    /** Search and browse: text, filters, sort, cursor pages, facet counts and typo corrections. */
    products: (params: SearchParams = {}, init?: CallOptions) => request<SearchResult>("/api/v1/products", searchQuery(params), init),
    /** One active product by id or slug, with brand, categories, images, options and variants. */
    product: (idOrSlug: string, init?: CallOptions) => request<Product>(`/api/v1/products/${encodeURIComponent(idOrSlug)}`, undefined, init),
    /** Autocomplete for what has been typed so far: categories, brands, then products. */
    suggest: (q: string, params: { limit?: number } & CallOptions = {}) =>
      request<{ items: Suggestion[] }>("/api/v1/search/suggest", pageQuery({ q, limit: params.limit }), params),
    /** The store's category tree (roots in order, each with its children). */
    categories: (init?: CallOptions) => request<{ items: CategoryNode[] }>("/api/v1/categories", undefined, init),
    brands: (init?: CallOptions) => request<{ items: Brand[] }>("/api/v1/brands", undefined, init),
    /** Operator only. */
    platformTenants: (params: PageParams = {}) => request<Page<PlatformTenant>>("/api/v1/platform/tenants", pageQuery({ limit: params.limit, cursor: params.cursor })),
  };
}

async function readProblem(res: Response): Promise<Problem> {
  const fallback: Problem = { type: "about:blank", title: res.statusText || `HTTP ${res.status}`, status: res.status };
  const text = await res.text().catch(() => "");
  try {
    const body = JSON.parse(text) as Partial<Problem> | null;
    if (body && typeof body === "object" && typeof body.title === "string") return { ...fallback, ...body, status: body.status ?? res.status };
  } catch {
    // not JSON: e.g. an HTML error page of a proxy
  }
  return text ? { ...fallback, detail: text.slice(0, 200) } : fallback;
}
