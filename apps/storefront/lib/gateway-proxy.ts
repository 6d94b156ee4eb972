import { loadConfig } from "./config";
import { storeFromHost } from "./host";
import { storeHeaders } from "./store";

/** What the browser may see of the gateway's answer (no cookies, no internal headers). */
const PASSED_BACK = ["content-type", "cache-control", "etag", "last-modified", "content-security-policy", "x-content-type-options", "x-request-id", "x-cache"];

/**
 * Forward a browser's GET to the same path on the gateway, for the store this host names.
 *
 * Why a proxy: the shopper's page is on the store's host (`acme.localhost:3000`, a custom domain),
 * the gateway elsewhere. Calling it from the browser would be cross-site: its
 * `Cross-Origin-Resource-Policy: same-site` blocks images, custom domains are not CORS origins,
 * and a custom domain can only be named by its host. Same-origin paths on the storefront avoid
 * all that, and the store is picked exactly as for server-rendered pages.
 */
export async function proxyToGateway(request: Request, path: string): Promise<Response> {
  const config = loadConfig();
  const incoming = new URL(request.url);
  const ref = storeFromHost(request.headers.get("x-forwarded-host") ?? request.headers.get("host"), config);
  const headers: Record<string, string> = { accept: request.headers.get("accept") ?? "*/*", ...storeHeaders(ref) };
  for (const name of ["if-none-match", "if-modified-since", "x-forwarded-for"]) {
    const value = request.headers.get(name);
    if (value) headers[name] = value;
  }
  let upstream: Response;
  try {
    upstream = await fetch(`${config.gatewayUrl}${path}${incoming.search}`, {
      headers,
      redirect: "manual",
      cache: "no-store",
      signal: AbortSignal.timeout(config.gatewayTimeoutMs),
    });
  } catch {
    return problem(502, "The store's server is not answering; try again shortly.");
  }
  const out = new Headers();
  for (const name of PASSED_BACK) {
    const value = upstream.headers.get(name);
    if (value) out.set(name, value);
  }
  return new Response(upstream.status === 304 ? null : upstream.body, { status: upstream.status, headers: out });
}

/** A path's segments, each escaped; null when one could climb out of the proxied prefix. */
export function safePath(segments: string[]): string | null {
  if (segments.length === 0 || segments.some((s) => s === "" || s === "." || s === ".." || s.includes("/") || s.includes("\\"))) return null;
  return segments.map(encodeURIComponent).join("/");
}

function problem(status: number, detail: string): Response {
  return Response.json({ type: "about:blank", title: "Bad gateway", status, detail }, { status, headers: { "content-type": "application/problem+json" } });
}
