import { esc } from "../../lib/html.ts";
import { brandLine, themeCss, type StoreLook } from "../../lib/theme.ts";

/**
 * The provider's own pages (login form, messages): a centered card, inline CSS only (the pages'
 * CSP allows inline styles and nothing else: no scripts, no external assets). Every dynamic value
 * is escaped. A store's realm shows the store's name and theme (`look`: CSS custom properties from
 * allow-listed values only, see lib/theme.ts); without it, Bazaar's neutral look.
 */
const STYLE = `
*,*::before,*::after{box-sizing:border-box}
html{height:100%}
body{min-height:100%;margin:0;display:flex;flex-direction:column;align-items:center;justify-content:center;gap:1.25rem;padding:2rem 1rem;
font-family:var(--bz-font);color:var(--bz-fg);-webkit-font-smoothing:antialiased;
background:var(--bz-bg) var(--bz-glow) no-repeat}
.card{width:100%;max-width:24rem;padding:2rem 2rem 1.75rem;background:var(--bz-card);border:1px solid rgba(100,116,139,.25);border-radius:calc(var(--bz-radius) + 6px);
box-shadow:0 1px 2px rgba(15,23,42,.04),0 12px 32px -12px rgba(15,23,42,.18)}
.brand{display:flex;align-items:center;gap:.55rem;margin-bottom:1.5rem;font-weight:700;font-size:.95rem}
.mark{display:grid;place-items:center;width:1.9rem;height:1.9rem;border-radius:8px;color:#fff;font-size:.95rem;
background:var(--bz-mark)}
h1{margin:0;font-size:1.45rem;line-height:1.25}
.realm{margin:.35rem 0 1.5rem;color:#64748b;font-size:.92rem}
.realm strong{color:var(--bz-fg)}
.message{margin:.6rem 0 0;color:#475569}
.error{margin:0 0 1rem;padding:.65rem .8rem;border:1px solid #fecaca;border-radius:var(--bz-radius);background:#fef2f2;color:#b91c1c;font-size:.875rem}
label{display:block;margin:0 0 .35rem;font-size:.85rem;font-weight:600;color:var(--bz-fg)}
input{display:block;width:100%;margin:0 0 1rem;padding:.65rem .75rem;border:1px solid #cbd5e1;border-radius:var(--bz-radius);background:var(--bz-card);
color:inherit;font:inherit;font-size:.95rem}
input:focus{outline:none;border-color:var(--bz-primary);box-shadow:0 0 0 1px var(--bz-primary)}
button{width:100%;margin-top:.5rem;padding:.7rem 1rem;border:0;border-radius:var(--bz-radius);background:var(--bz-primary);color:#fff;font:inherit;
font-weight:600;cursor:pointer}
button:hover{filter:brightness(.9)}
button:focus-visible{outline:3px solid var(--bz-primary);outline-offset:2px}
p{line-height:1.5}
a{color:var(--bz-accent)}
.links{margin:1.25rem 0 0;font-size:.875rem;color:#64748b;text-align:center}
.foot{margin:0;color:#94a3b8;font-size:.78rem}
.foot code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace}
`.replace(/\n/g, "");

function layout(title: string, body: string, foot = "Bazaar identity", look?: StoreLook): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${esc(title)}</title>
<style>${themeCss(look)}${STYLE}</style>
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
