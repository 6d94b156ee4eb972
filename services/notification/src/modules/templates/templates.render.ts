import Handlebars from "handlebars";
import type { TemplateParts } from "@bazaar/contracts";
import { AppError } from "@bazaar/service-kit/errors";

/**
 * Templates are Handlebars: `{{var}}` is HTML-escaped in the HTML part. Raw output (`{{{var}}}`,
 * `{{& var}}`) is refused in HTML so shopper-supplied values (names, addresses) can never inject
 * markup; text, SMS and push parts are plain text and are not escaped.
 */
const hb = Handlebars.create();
// `log` writes to the server's console and `lookup` reaches properties by computed name: neither is
// needed by a message template.
hb.unregisterHelper("log");
hb.unregisterHelper("lookup");
const cache = new Map<string, HandlebarsTemplateDelegate>();
const MAX_CACHE = 500;

type Kind = "html" | "text";
const HTML_PARTS = new Set<keyof TemplateParts>(["emailHtml"]);

/**
 * Whether a template writes raw (unescaped) output anywhere: found on Handlebars' own parse tree,
 * so every spelling (`{{{x}}}`, `{{~{x}~}}`, `{{& x}}`, inside blocks) is caught, not a pattern.
 */
export function writesRawOutput(source: string): boolean {
  let raw = false;
  class Finder extends Handlebars.Visitor {
    override MustacheStatement(node: hbs.AST.MustacheStatement): void {
      if (node.escaped === false) raw = true;
      super.MustacheStatement(node);
    }
  }
  new Finder().accept(hb.parse(source));
  return raw;
}

function compiled(source: string, kind: Kind): HandlebarsTemplateDelegate {
  const key = `${kind}\u0000${source}`;
  let fn = cache.get(key);
  if (!fn) {
    // Also checked here, not only when saved: a stored template never renders markup from values.
    if (kind === "html" && writesRawOutput(source)) throw new Error("raw output is not allowed in the HTML part");
    fn = hb.compile(source, { noEscape: kind === "text", strict: false, knownHelpersOnly: true, knownHelpers: { if: true, unless: true, each: true, with: true } });
    if (cache.size >= MAX_CACHE) cache.delete(cache.keys().next().value as string);
    cache.set(key, fn);
  }
  return fn;
}

export function renderPart(part: keyof TemplateParts, source: string, vars: Record<string, unknown>): string {
  return compiled(source, HTML_PARTS.has(part) ? "html" : "text")(vars, { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false }).trim();
}

/**
 * Refuse a template that does not compile, writes raw HTML, or fails when rendered with `sample`
 * (wrong helper arity, missing partials, unknown helpers); field errors name the part.
 */
export function validateParts(parts: Partial<TemplateParts>, sample: Record<string, unknown> = {}): void {
  const errors: { path: string; message: string }[] = [];
  for (const [name, source] of Object.entries(parts) as [keyof TemplateParts, string][]) {
    try {
      hb.precompile(source, { knownHelpersOnly: true, knownHelpers: { if: true, unless: true, each: true, with: true } });
    } catch (err) {
      errors.push({ path: name, message: `does not compile: ${(err as Error).message.split("\n")[0]}` });
      continue;
    }
    if (HTML_PARTS.has(name) && writesRawOutput(source)) {
      errors.push({ path: name, message: "raw output ({{{ }}}, {{& }} and their variants) is not allowed: values are always HTML-escaped" });
      continue;
    }
    try {
      renderPart(name, source, sample);
    } catch (err) {
      errors.push({ path: name, message: `fails to render: ${(err as Error).message.split("\n")[0]}` });
    }
  }
  if (errors.length) throw new AppError("validation_failed", "A template part is not valid.", errors);
}

export interface RenderedParts {
  email: { subject: string; html: string; text: string } | null;
  sms: { text: string } | null;
  push: { title: string; body: string } | null;
}

/** Render every part; a channel whose parts are empty is left out (the message is not sent there). */
export function renderAll(parts: TemplateParts, vars: Record<string, unknown>): RenderedParts {
  const r = (p: keyof TemplateParts) => (parts[p].trim() ? renderPart(p, parts[p], vars) : "");
  const email = parts.emailSubject.trim() && (parts.emailHtml.trim() || parts.emailText.trim()) ? { subject: r("emailSubject"), html: r("emailHtml"), text: r("emailText") } : null;
  const sms = parts.smsText.trim() ? { text: r("smsText") } : null;
  const push = parts.pushTitle.trim() ? { title: r("pushTitle"), body: r("pushBody") } : null;
  return { email, sms, push };
}

/** Dotted variable paths of a sample (arrays as `lines.0.name` become `lines.[].name`). */
export function variablePaths(value: unknown, prefix = ""): string[] {
  if (Array.isArray(value)) return value.length ? variablePaths(value[0], `${prefix}[].`) : [];
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => variablePaths(v, `${prefix}${k}.`));
  return [prefix.replace(/\.$/, "")];
}
