const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escape text for HTML element content and quoted attributes. Every dynamic value goes through it. */
export const esc = (value: unknown) => String(value ?? "").replace(/[&<>"']/g, (ch) => ENTITIES[ch]!);

/** Headers for identity's HTML pages: no caching, no framing, no referrer (queries carry state). */
export const HTML_HEADERS = {
  "content-type": "text/html; charset=utf-8",
  "cache-control": "no-store",
  "x-frame-options": "DENY",
  "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
  "referrer-policy": "no-referrer",
} as const;
