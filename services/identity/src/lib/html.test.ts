import { describe, expect, it } from "vitest";
import { loginPage } from "../modules/oidc/pages.ts";
import { esc } from "./html.ts";

describe("esc", () => {
  it("escapes the five HTML-significant characters", () => {
    expect(esc(`<a href="x" onclick='y'>&</a>`)).toBe("&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
    expect(esc(undefined)).toBe("");
  });

  it("keeps injected markup out of the login page", () => {
    const html = loginPage({ realm: "acme", action: `?a="><script>x</script>`, username: `"><img src=x onerror=alert(1)>`, error: "<b>no</b>" });
    expect(html).not.toMatch(/<script>x|<img src=x|<b>no/);
  });
});
