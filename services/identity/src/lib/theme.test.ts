import { describe, expect, it, vi } from "vitest";
import type { ThemeTokens } from "@bazaar/contracts";
import { silentLogger } from "@bazaar/service-kit/testing";
import { loginPage, messagePage } from "../modules/oidc/pages.ts";
import { noticePage, registerPage, verifyEmailPage } from "../modules/account-pages/pages.ts";
import { createStoreLooks, safeColor, safeFont, safeRadius, themeCss, type StoreLook } from "./theme.ts";

const GOOD: ThemeTokens = { primary: "#ff6600", background: "rgb(250, 250, 245)", foreground: "navy", accent: "#0a7", radius: "0.5rem", font: `Inter, "Helvetica Neue", sans-serif` };

const HOSTILE = [
  "red;}</style><script>alert(1)</script>",
  "url(javascript:alert(1))",
  "expression(alert(1))",
  "#fff;background:url(//evil.test/x.png)",
  "red/**/",
  "\\72 ed",
  "var(--x)",
  "</style>",
  `"Inter"; } body { display:none`,
  `'x' "`,
  "10px;}",
  "",
];

const pages = (look: StoreLook) => [
  loginPage({ realm: "acme", action: "?client_id=storefront", csrf: "t", look }),
  messagePage("Signed out", "You are signed out.", look),
  registerPage({ realm: "acme", action: "", csrf: "t", look }),
  verifyEmailPage({ realm: "acme", action: "", csrf: "t", key: "k", email: "a@b.c", look }),
  noticePage({ realm: "acme", title: "Done", message: "Done.", look }),
];

const styleOf = (html: string) => /<style>([^<]*)<\/style>/.exec(html)?.[1] ?? "";

describe("store themes on identity pages", () => {
  it("accept only allow-listed token values", () => {
    for (const v of ["#abc", "#AABBCC", "#aabbcc80", "rgb(1,2,3)", "rgba(1, 2, 3, .5)", "hsl(210 40% 50%)", "rebeccapurple"]) expect(safeColor(v)).toBeDefined();
    for (const v of ["0", "8px", "0.5rem", "1em", "50%"]) expect(safeRadius(v)).toBe(v);
    for (const v of ["system-ui, sans-serif", `"Segoe UI", Roboto`, "'Inter'"]) expect(safeFont(v)).toBe(v);
    for (const v of [...HOSTILE, "#ab", "#abcde", "rgb(1,2,3);", "rgb(1,2,url(x))", "inherit", "1e3px", 42, undefined]) {
      expect(safeColor(v)).toBeUndefined();
      expect(safeRadius(v)).toBeUndefined();
      if (typeof v !== "string" || !/^[A-Za-z0-9 -]+$/.test(v)) expect(safeFont(v)).toBeUndefined();
    }
  });

  it("render valid tokens as CSS custom properties and the store's name as the heading", () => {
    for (const html of pages({ name: "Acme Goods", theme: GOOD })) {
      const style = styleOf(html);
      expect(style).toContain("--bz-primary:#ff6600;");
      expect(style).toContain("--bz-bg:rgb(250, 250, 245);");
      expect(style).toContain("--bz-fg:navy;");
      expect(style).toContain("--bz-accent:#0a7;");
      expect(style).toContain("--bz-radius:0.5rem;");
      expect(style).toContain(`--bz-font:Inter, "Helvetica Neue", sans-serif}`);
      expect(style).toContain("background:var(--bz-primary)");
      expect(html).toContain(`<div class="brand"><span class="mark" aria-hidden="true">A</span>Acme Goods</div>`);
    }
  });

  it("never put hostile values in the page: each falls back to the neutral default", () => {
    for (const bad of HOSTILE) {
      const theme: ThemeTokens = { primary: bad, background: bad, foreground: bad, accent: bad, radius: bad, font: bad };
      for (const html of pages({ name: `<img src=x onerror=alert(1)>`, theme })) {
        expect(html.match(/<style>/g)).toHaveLength(1);
        expect(html.match(/<\/style>/g)).toHaveLength(1);
        expect(html).not.toMatch(/<script|javascript:|expression\(|url\(|<img/i);
        const vars = styleOf(html).slice(0, styleOf(html).indexOf("}") + 1);
        expect(vars).toBe(themeCss({ name: "x", theme: { primary: "", background: "", foreground: "", accent: "", radius: "", font: "" } }));
        expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;");
      }
    }
    expect(themeCss({ name: "x", theme: { ...GOOD, primary: "red;}</style>" } })).toContain("--bz-primary:#4f46e5;");
  });

  it("keep the neutral Bazaar look without a store", () => {
    const html = loginPage({ realm: "platform", action: "", csrf: "t" });
    expect(styleOf(html)).toContain("--bz-primary:#4f46e5;");
    expect(html).toContain(`<span class="mark" aria-hidden="true">B</span>Bazaar</div>`);
  });
});

describe("store look cache", () => {
  const realm = { tenantId: "tnt_1", slug: "acme" };
  const look: StoreLook = { name: "Acme", theme: GOOD };

  it("asks once per realm per minute, never for the platform realm", async () => {
    let now = 0;
    const storeInfo = vi.fn(async () => look);
    const looks = createStoreLooks({ storeInfo, clock: () => new Date(now), logger: silentLogger() });
    await expect(looks(realm)).resolves.toEqual(look);
    now = 59_000;
    await looks(realm);
    expect(storeInfo).toHaveBeenCalledTimes(1);
    now = 61_000;
    await looks(realm);
    expect(storeInfo).toHaveBeenCalledTimes(2);
    await expect(looks({ tenantId: "platform", slug: "platform" })).resolves.toBeUndefined();
    expect(storeInfo).toHaveBeenCalledTimes(2);
  });

  it("turn failures, slow answers and nonsense into the neutral look", async () => {
    const logger = silentLogger();
    const failing = createStoreLooks({ storeInfo: () => Promise.reject(new Error("down")), clock: () => new Date(), logger });
    await expect(failing(realm)).resolves.toBeUndefined();
    const throwing = createStoreLooks({ storeInfo: () => { throw new Error("sync"); }, clock: () => new Date(), logger });
    await expect(throwing(realm)).resolves.toBeUndefined();
    const slow = createStoreLooks({ storeInfo: () => new Promise(() => undefined), clock: () => new Date(), logger, timeoutMs: 20 });
    await expect(slow(realm)).resolves.toBeUndefined();
    const nonsense = createStoreLooks({ storeInfo: async () => ({ name: 1 }) as unknown as StoreLook, clock: () => new Date(), logger });
    await expect(nonsense(realm)).resolves.toBeUndefined();
    await expect(createStoreLooks({ clock: () => new Date(), logger })(realm)).resolves.toBeUndefined();
  });

  it("retry a failure after a few seconds, not a minute", async () => {
    let now = 0;
    const storeInfo = vi.fn().mockRejectedValueOnce(new Error("down")).mockResolvedValue(look);
    const looks = createStoreLooks({ storeInfo, clock: () => new Date(now), logger: silentLogger() });
    await expect(looks(realm)).resolves.toBeUndefined();
    now = 6_000;
    await expect(looks(realm)).resolves.toEqual(look);
  });
});
