import { proxyToGateway } from "../../../../../lib/gateway-proxy";

// The search box's autocomplete calls this from the browser (same origin); see proxyToGateway.
export function GET(request: Request): Promise<Response> {
  return proxyToGateway(request, "/api/v1/search/suggest");
}
