import { esc } from "../../lib/html.ts";

/**
 * Minimal HTML for the provider's own pages until the themed login, registration and reset pages
 * arrive. Every dynamic value is escaped.
 */
function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:22rem;margin:4rem auto;padding:0 1rem}label{display:block;margin:.75rem 0 .25rem}
input{width:100%;padding:.5rem;box-sizing:border-box}button{margin-top:1rem;padding:.5rem 1rem}.error{color:#b00020}</style>
</head><body>${body}</body></html>`;
}

export function loginPage(opts: { realm: string; action: string; username?: string; error?: string }): string {
  return layout(
    `Sign in to ${opts.realm}`,
    `<h1>Sign in to ${esc(opts.realm)}</h1>
${opts.error ? `<p class="error" role="alert">${esc(opts.error)}</p>` : ""}
<form method="post" action="${esc(opts.action)}">
<label for="username">Email</label><input id="username" name="username" type="email" autocomplete="username" required value="${esc(opts.username ?? "")}">
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>`,
  );
}

export function messagePage(title: string, message: string): string {
  return layout(title, `<h1>${esc(title)}</h1><p>${esc(message)}</p>`);
}
