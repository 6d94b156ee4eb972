import { proxyToGateway, safePath } from "../../../../../lib/gateway-proxy";

// Product images stored on the platform (`/api/v1/media/...` in the catalog) load from the store's
// own origin; see proxyToGateway.
export async function GET(request: Request, { params }: { params: Promise<{ path: string[] }> }): Promise<Response> {
  const path = safePath((await params).path);
  if (!path) return new Response("Not found", { status: 404 });
  return proxyToGateway(request, `/api/v1/media/${path}`);
}
