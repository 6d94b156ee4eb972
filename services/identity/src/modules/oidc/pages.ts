import { esc } from "../../lib/html.ts";
import { PAGE_STYLE } from "../../lib/page-style.ts";
import { brandLine, themeCss, type StoreLook } from "../../lib/theme.ts";

/**
 * The provider's own pages (login form, messages): a centered card, inline CSS only (the pages'
 * CSP allows inline styles and nothing else: no scripts, no external assets). Every dynamic value
 * is escaped. A store's realm shows the store's name and theme (`look`: CSS custom properties from
 * allow-listed values only, see lib/theme.ts); without it, Bazaar's neutral look.
 */

function layout(title: string, body: string, foot = "Bazaar identity", look?: StoreLook): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${esc(title)}</title>
<style>${themeCss(look)}${PAGE_STYLE}</style>
</head><body>
<main class="card">
${brandLine(look)}
${body}
</main>
<p class="foot">${foot}</p>
</body></html>`;
}

/** `platform` is the operators' realm; any other realm is a store, named by its slug. */
const realmLine = (realm: string) =>
  realm === "platform" ? `to the <strong>Bazaar platform</strong> (operators)` : `to <strong>${esc(realm)}</strong>`;

export function loginPage(opts: { realm: string; action: string; username?: string; error?: string; csrf?: string; canRegister?: boolean; look?: StoreLook | undefined }): string {
  const query = opts.action.startsWith("?") ? opts.action : "";
  return layout(
    `Sign in to ${opts.realm}`,
    `<h1>Sign in</h1>
<p class="realm">${realmLine(opts.realm)}</p>
${opts.error ? `<p class="error" role="alert">${esc(opts.error)}</p>` : ""}
<form method="post" action="${esc(opts.action)}">
<label for="username">Email</label><input id="username" name="username" type="email" autocomplete="username" required${opts.username ? "" : " autofocus"} value="${esc(opts.username ?? "")}">
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required${opts.username ? " autofocus" : ""}>
${opts.csrf ? `<input type="hidden" name="csrf" value="${esc(opts.csrf)}">` : ""}
<button type="submit">Sign in</button>
</form>
<p class="links"><a href="../../login-actions/reset-credentials${esc(query)}">Forgot password?</a>${
      opts.canRegister ? ` · <a href="registrations${esc(query)}">Register</a>` : ""
    }</p>`,
    `Realm <code>${esc(opts.realm)}</code> · Bazaar identity`,
    opts.look,
  );
}

export function messagePage(title: string, message: string, look?: StoreLook): string {
  return layout(title, `<h1>${esc(title)}</h1><p class="message">${esc(message)}</p>`, undefined, look);
}
