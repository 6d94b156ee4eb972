/**
 * Where the browser loads a catalog image from. Catalog images are absolute URLs or paths on the
 * platform: `/api/v1/media/...` is served from the storefront's own origin (app/api/v1/media
 * proxies it to the gateway for this store), any other path from the gateway's public URL.
 */
export function imageSrc(url: string, publicUrl: string): string {
  if (/^https?:\/\//i.test(url)) return url;
  if (url.startsWith("/api/v1/media/")) return url;
  if (url.startsWith("/") && !url.startsWith("//")) return `${publicUrl}${url}`;
  return url;
}
