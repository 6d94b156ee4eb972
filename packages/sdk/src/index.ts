// Typed client of the Bazaar gateway API (see docs/api.md). Dependency-free: it runs in
// Node (server components, tests) and in the browser. Types are defined here, not imported
// from services, so the SDK describes the public contract only.

/** Integer minor units plus ISO 4217 currency. Never a float. */
export interface Money {
  amount: number;
  currency: string;
}

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

export type ProductStatus = "draft" | "active" | "archived";

export interface Product {
  id: string;
  slug: string;
  name: string;
  description: string;
  price: Money;
  status: ProductStatus;
  createdAt: string;
  updatedAt: string;
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

export function createBazaarClient(options: BazaarClientOptions) {
  const base = options.baseUrl.replace(/\/+$/, "");
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);

  async function request<T>(path: string, query?: Record<string, string | number | null | undefined>): Promise<T> {
    const url = new URL(base + path);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null && v !== "") url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { accept: "application/json", ...options.headers };
    if (options.tenant) headers["x-tenant"] = options.tenant;
    if (options.token) headers["authorization"] = `Bearer ${options.token}`;

    const signal = options.timeoutMs ? AbortSignal.timeout(options.timeoutMs) : undefined;
    const res = await doFetch(url, { headers, cache: "no-store", signal });
    if (!res.ok) throw new BazaarApiError(await readProblem(res));
    return (await res.json()) as T;
  }

  return {
    /** The current store: name, currency, theme tokens, logo. */
    store: () => request<Store>("/api/v1/store"),
    products: (params: PageParams = {}) => request<Page<Product>>("/api/v1/products", { limit: params.limit, cursor: params.cursor }),
    product: (idOrSlug: string) => request<Product>(`/api/v1/products/${encodeURIComponent(idOrSlug)}`),
    /** Operator only. */
    platformTenants: (params: PageParams = {}) =>
      request<Page<PlatformTenant>>("/api/v1/platform/tenants", { limit: params.limit, cursor: params.cursor }),
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
