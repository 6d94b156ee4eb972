import { describe, expect, it } from "vitest";
import { NotificationTemplateKey } from "@bazaar/contracts";
import { AppError } from "@bazaar/service-kit/errors";
import { DEFAULT_TEMPLATES, sampleVars } from "./templates.defaults.ts";
import { renderAll, renderPart, validateParts, writesRawOutput, variablePaths } from "./templates.render.ts";

describe("templates", () => {
  it("every shipped default compiles and renders its sample with an email", () => {
    for (const key of NotificationTemplateKey.options) {
      validateParts(DEFAULT_TEMPLATES[key]);
      const out = renderAll(DEFAULT_TEMPLATES[key], sampleVars(key, "Acme"));
      expect(out.email?.subject, key).toBeTruthy();
      expect(out.email?.text, key).toBeTruthy();
      expect(out.email?.html, key).toContain("Acme");
    }
  });

  it("escapes values in HTML, not in text parts", () => {
    const vars = { store: { name: `<script>alert("x")</script>` } };
    expect(renderPart("emailHtml", "<p>{{store.name}}</p>", vars)).toBe("<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</p>");
    expect(renderPart("emailText", "{{store.name}}", vars)).toBe(`<script>alert("x")</script>`);
    expect(renderAll(DEFAULT_TEMPLATES.order_paid, sampleVars("order_paid", "Acme")).email!.html).toContain("Linen shirt &lt;Blue&gt;");
  });

  it("refuses raw output in HTML, templates that do not compile and unknown helpers", () => {
    const bads = [
      { emailHtml: "{{{store.name}}}" },
      { emailHtml: "{{& store.name}}" },
      { emailHtml: "{{#each order.lines}}<p>{{~{name}~}}</p>{{/each}}" },
      { emailHtml: "{{~& store.name ~}}" },
      { emailHtml: "{{#if store}}{{{ store.name }}}{{/if}}" },
      { emailSubject: "{{#if}}" },
      { smsText: "{{shout store.name}}" },
      { smsText: "{{#if}}{{/if}}" },
      { smsText: "{{#each}}{{/each}}" },
      { smsText: "{{lookup . 'constructor'}}" },
      { smsText: "{{log 'x'}}" },
      { smsText: "{{helperMissing}}" },
      { smsText: "{{> partial}}" },
    ];
    for (const bad of bads) {
      expect(() => validateParts(bad)).toThrow(AppError);
    }
  });

  it("never renders a stored HTML part that writes raw output, whatever its spelling", () => {
    expect(writesRawOutput("<p>{{~{name}~}}</p>")).toBe(true);
    expect(writesRawOutput("<p>{{name}} {{#each lines}}{{name}}{{/each}}</p>")).toBe(false);
    expect(() => renderPart("emailHtml", "<p>{{~{name}~}}</p>", { name: "<b>x</b>" })).toThrow(/raw output/);
    expect(renderPart("emailText", "{{~{name}~}}", { name: "<b>x</b>" })).toBe("<b>x</b>");
  });

  it("does not reach prototype properties", () => {
    expect(renderPart("emailText", "{{constructor.name}}|{{__proto__}}", {})).toBe("|");
  });

  it("an empty part leaves its channel out", () => {
    const out = renderAll({ ...DEFAULT_TEMPLATES.order_paid, smsText: "", pushTitle: " " }, sampleVars("order_paid", "Acme"));
    expect(out.sms).toBeNull();
    expect(out.push).toBeNull();
    expect(variablePaths(sampleVars("order_paid", "A"))).toContain("order.lines.[].unitPrice");
  });
});
