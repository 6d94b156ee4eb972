import { esc } from "../../lib/html.ts";
import { PAGE_STYLE } from "../../lib/page-style.ts";
import { brandLine, themeCss, type StoreLook } from "../../lib/theme.ts";
import { CSRF_FIELD } from "./csrf.ts";

/**
 * Registration, password reset, email verification and invitation pages: the login page's card
 * (same inline CSS; the pages' CSP allows inline styles and nothing else), every dynamic value
 * escaped with `esc`. Each POST form carries the CSRF field (see csrf.ts). `look` themes a store's
 * pages (its name, and CSS custom properties from allow-listed values only: lib/theme.ts).
 */

function layout(p: { realm: string; look?: StoreLook | undefined }, title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${esc(title)}</title>
<style>${themeCss(p.look)}${PAGE_STYLE}</style>
</head><body>
<main class="card">
${brandLine(p.look)}
${body}
</main>
<p class="foot">Realm <code>${esc(p.realm)}</code> · Bazaar identity</p>
</body></html>`;
}

const realmLine = (realm: string, prefix: string) =>
  realm === "platform" ? `${esc(prefix)} the <strong>Bazaar platform</strong>` : `${esc(prefix)} <strong>${esc(realm)}</strong>`;

function errorBox(errors: readonly string[] | undefined): string {
  if (!errors?.length) return "";
  if (errors.length === 1) return `<p class="error" role="alert">${esc(errors[0])}</p>`;
  return `<div class="error" role="alert"><ul>${errors.map((e) => `<li>${esc(e)}</li>`).join("")}</ul></div>`;
}

const csrfInput = (token: string) => `<input type="hidden" name="${CSRF_FIELD}" value="${esc(token)}">`;
const link = (href: string | undefined, text: string, before = "") => (href ? `<p class="links">${esc(before)}<a href="${esc(href)}">${esc(text)}</a></p>` : "");

export interface FormPage {
  realm: string;
  /** The form's action (a relative URL, escaped here). */
  action: string;
  csrf: string;
  errors?: readonly string[];
  /** The store's name and theme; without it, the neutral look. */
  look?: StoreLook | undefined;
}

export function registerPage(p: FormPage & { values?: { email?: string; name?: string }; loginUrl?: string }): string {
  return layout(
    p,
    `Register with ${p.realm}`,
    `<h1>Create an account</h1>
<p class="realm">${realmLine(p.realm, "at")}</p>
${errorBox(p.errors)}
<form method="post" action="${esc(p.action)}">
${csrfInput(p.csrf)}
<label for="name">Name</label><input id="name" name="name" type="text" autocomplete="name" maxlength="200" value="${esc(p.values?.name)}">
<label for="email">Email</label><input id="email" name="email" type="email" autocomplete="email" required maxlength="320" value="${esc(p.values?.email)}">
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="new-password" required minlength="8">
<label for="password-confirm">Confirm password</label><input id="password-confirm" name="password-confirm" type="password" autocomplete="new-password" required minlength="8">
<button type="submit">Register</button>
</form>
${link(p.loginUrl, "Sign in", "Already have an account? ")}`,
  );
}

export function resetRequestPage(p: FormPage & { username?: string; loginUrl?: string }): string {
  return layout(
    p,
    `Forgot your password? ${p.realm}`,
    `<h1>Forgot your password?</h1>
<p class="realm">Enter your email and we will send you a link to choose a new one.</p>
${errorBox(p.errors)}
<form method="post" action="${esc(p.action)}">
${csrfInput(p.csrf)}
<label for="username">Email</label><input id="username" name="username" type="email" autocomplete="email" required maxlength="320" autofocus value="${esc(p.username)}">
<button type="submit">Send reset link</button>
</form>
${link(p.loginUrl, "Back to sign in")}`,
  );
}

export function newPasswordPage(p: FormPage & { key: string; email: string }): string {
  return layout(
    p,
    `Choose a new password`,
    `<h1>Choose a new password</h1>
<p class="realm">For <strong>${esc(p.email)}</strong> ${realmLine(p.realm, "at")}</p>
${errorBox(p.errors)}
<form method="post" action="${esc(p.action)}">
${csrfInput(p.csrf)}<input type="hidden" name="key" value="${esc(p.key)}">
<input type="email" name="username" autocomplete="username" value="${esc(p.email)}" readonly hidden>
<label for="password-new">New password</label><input id="password-new" name="password-new" type="password" autocomplete="new-password" required minlength="8" autofocus>
<label for="password-confirm">Confirm password</label><input id="password-confirm" name="password-confirm" type="password" autocomplete="new-password" required minlength="8">
<button type="submit">Set password</button>
</form>`,
  );
}

export function verifyEmailPage(p: FormPage & { key: string; email: string }): string {
  return layout(
    p,
    `Confirm your email`,
    `<h1>Confirm your email</h1>
<p class="realm">Confirm that <strong>${esc(p.email)}</strong> is your address ${realmLine(p.realm, "at")}.</p>
${errorBox(p.errors)}
<form method="post" action="${esc(p.action)}">
${csrfInput(p.csrf)}<input type="hidden" name="key" value="${esc(p.key)}">
<button type="submit">Confirm email</button>
</form>`,
  );
}

export function invitationPage(p: FormPage & { key: string; email: string; role: string; existing: boolean; name?: string }): string {
  const fields = p.existing
    ? `<p class="info">You already have an account with this email: accepting adds the role to it, and your password stays the same.</p>`
    : `<label for="email">Email</label><input id="email" type="email" autocomplete="username" value="${esc(p.email)}" readonly>
<label for="name">Name</label><input id="name" name="name" type="text" autocomplete="name" maxlength="200" required autofocus value="${esc(p.name)}">
<label for="password-new">Password</label><input id="password-new" name="password-new" type="password" autocomplete="new-password" required minlength="8">
<label for="password-confirm">Confirm password</label><input id="password-confirm" name="password-confirm" type="password" autocomplete="new-password" required minlength="8">`;
  return layout(
    p,
    `Join ${p.realm}`,
    `<h1>Join ${p.realm === "platform" ? "the Bazaar platform" : esc(p.realm)}</h1>
<p class="realm">You are invited as <strong>${esc(p.role)}</strong> (${esc(p.email)}).</p>
${errorBox(p.errors)}
<form method="post" action="${esc(p.action)}">
${csrfInput(p.csrf)}<input type="hidden" name="key" value="${esc(p.key)}">
${fields}
<button type="submit">Accept invitation</button>
</form>`,
  );
}

/** A result or refusal: a title, a sentence and an optional link onwards. */
export function noticePage(p: { realm: string; title: string; message: string; link?: { href: string; text: string }; look?: StoreLook | undefined }): string {
  return layout(p, p.title, `<h1>${esc(p.title)}</h1><p class="realm">${esc(p.message)}</p>${p.link ? link(p.link.href, p.link.text) : ""}`);
}
