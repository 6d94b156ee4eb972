import { PLATFORM_REALM, type ThemeTokens } from "@bazaar/contracts";
import type { Logger } from "@bazaar/service-kit/logging";
import { esc } from "./html.ts";

/** A store's name and theme, as the tenant service describes it (`GET /api/v1/store`). */
export interface StoreLook {
  name: string;
  theme: ThemeTokens;
}

export type StoreInfoFn = (realm: { tenantId: string; slug: string }) => Promise<StoreLook | undefined>;

/**
 * The CSS custom properties the pages' stylesheet reads. The neutral values are Bazaar's own look
 * (the platform realm, or a store whose look is unknown or invalid).
 */
const NEUTRAL = {
  bg: "#eef1f8",
  glow: "radial-gradient(circle at 20% 0%,#e0e7ff 0,transparent 45%)",
  card: "#fff",
  fg: "#0f172a",
  primary: "#4f46e5",
  accent: "#4f46e5",
  mark: "linear-gradient(135deg,#6366f1,#ec4899)",
  radius: "10px",
  font: `system-ui,-apple-system,"Segoe UI",Roboto,sans-serif`,
};

// Theme values land in a <style> block: only these shapes are accepted, anything else falls back to
// the neutral value for that token (no `;`, `}`, `<`, `\`, `/`, `(` outside rgb()/hsl(), or `url`).
const HEX = /^#(?:[0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/i;
const NUM = String.raw`\d{1,3}(?:\.\d{1,3})?%?`;
const ALPHA = String.raw`(?:\s*[,/]\s*(?:0|1|0?\.\d{1,3}|\d{1,3}%))?`;
const FUNC = new RegExp(String.raw`^(?:rgba?|hsla?)\(\s*${NUM}(?:deg)?\s*(?:,\s*|\s+)${NUM}\s*(?:,\s*|\s+)${NUM}${ALPHA}\s*\)$`, "i");
const NAMED = /^[a-z]{3,20}$/i;
const RADIUS = /^(?:0|\d{1,3}(?:\.\d{1,2})?(?:px|rem|em|%))$/;
const FAMILY = String.raw`(?:[A-Za-z0-9 -]{1,60}|"[A-Za-z0-9 -]{1,60}"|'[A-Za-z0-9 -]{1,60}')`;
const FONT = new RegExp(String.raw`^\s*${FAMILY}(?:\s*,\s*${FAMILY}){0,7}\s*$`);
/** Named values a browser reads as something other than a color (or a CSS-wide keyword). */
const NOT_COLORS = new Set(["inherit", "initial", "unset", "revert", "currentcolor", "expression", "url", "var", "calc"]);

const str = (value: unknown, max: number) => (typeof value === "string" && value.length <= max ? value.trim() : undefined);

export function safeColor(value: unknown): string | undefined {
  const v = str(value, 64);
  if (!v) return undefined;
  if (HEX.test(v) || FUNC.test(v)) return v;
  return NAMED.test(v) && !NOT_COLORS.has(v.toLowerCase()) ? v.toLowerCase() : undefined;
}

export const safeRadius = (value: unknown) => {
  const v = str(value, 16);
  return v && RADIUS.test(v) ? v : undefined;
};

export const safeFont = (value: unknown) => {
  const v = str(value, 120);
  return v && FONT.test(v) ? v : undefined;
};

/** The `:root{...}` block for a page: the store's valid tokens, the neutral look for the rest. */
export function themeCss(look: StoreLook | undefined): string {
  const t: Partial<Record<keyof ThemeTokens, unknown>> = look?.theme ?? {};
  const bg = look ? safeColor(t.background) : undefined;
  const primary = look ? safeColor(t.primary) : undefined;
  const vars = {
    bg: bg ?? NEUTRAL.bg,
    glow: look ? "none" : NEUTRAL.glow,
    card: bg ?? NEUTRAL.card,
    fg: (look && safeColor(t.foreground)) ?? NEUTRAL.fg,
    primary: primary ?? NEUTRAL.primary,
    accent: (look && safeColor(t.accent)) ?? NEUTRAL.accent,
    mark: primary ?? NEUTRAL.mark,
    radius: (look && safeRadius(t.radius)) ?? NEUTRAL.radius,
    font: (look && safeFont(t.font)) ?? NEUTRAL.font,
  };
  return `:root{${Object.entries(vars)
    .map(([k, v]) => `--bz-${k}:${v}`)
    .join(";")}}`;
}

/** The page's heading line: the store's name (escaped), or Bazaar's. */
export function brandLine(look: StoreLook | undefined): string {
  const name = (typeof look?.name === "string" ? look.name.trim().slice(0, 120) : "") || "Bazaar";
  const mark = Array.from(name)[0]!.toUpperCase();
  return `<div class="brand"><span class="mark" aria-hidden="true">${esc(mark)}</span>${esc(name)}</div>`;
}

/**
 * `storeInfo` behind a cache: one answer per realm for `ttlMs` (a failure is remembered for a few
 * seconds so an unreachable tenant service does not slow every page), never longer than `timeoutMs`
 * to wait. Anything but an answer means the neutral look, never an error.
 */
export function createStoreLooks(opts: { storeInfo?: StoreInfoFn; clock: () => Date; logger: Logger; ttlMs?: number; failureTtlMs?: number; timeoutMs?: number; maxEntries?: number }) {
  const { storeInfo, clock, logger } = opts;
  const ttlMs = opts.ttlMs ?? 60_000;
  const failureTtlMs = opts.failureTtlMs ?? 5_000;
  const timeoutMs = opts.timeoutMs ?? 2_000;
  const maxEntries = opts.maxEntries ?? 1_000;
  type Entry = { expires: number; look: Promise<StoreLook | undefined> };
  const cache = new Map<string, Entry>();

  async function fetchLook(realm: { tenantId: string; slug: string }, entry: Entry): Promise<StoreLook | undefined> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        timer.unref();
      });
      const look = await Promise.race([storeInfo!(realm), timeout]);
      return look && typeof look.name === "string" && look.theme && typeof look.theme === "object" ? look : undefined;
    } catch (err) {
      logger.warn({ err, tenantId: realm.tenantId }, "store look unavailable; using the neutral look");
      entry.expires = Math.min(entry.expires, clock().getTime() + failureTtlMs);
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  /** The look of a realm's pages: `undefined` (neutral) for the platform realm or without an answer. */
  return async function storeLook(realm: { tenantId: string; slug: string }): Promise<StoreLook | undefined> {
    if (!storeInfo || realm.slug === PLATFORM_REALM) return undefined;
    const key = `${realm.tenantId}:${realm.slug}`;
    const now = clock().getTime();
    const hit = cache.get(key);
    if (hit && hit.expires > now) return hit.look;
    if (cache.size >= maxEntries) cache.delete(cache.keys().next().value!);
    const entry: Entry = { expires: now + ttlMs, look: Promise.resolve(undefined) };
    cache.delete(key);
    cache.set(key, entry);
    entry.look = fetchLook({ tenantId: realm.tenantId, slug: realm.slug }, entry);
    return entry.look;
  };
}
