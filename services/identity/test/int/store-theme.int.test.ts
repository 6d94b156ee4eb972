import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StoreLook } from "../../src/lib/theme.ts";
import { oidc, provision, startIdentity, type Harness } from "./harness.ts";

const authUrl = (realm: string) =>
  `${oidc(realm, "auth")}?${new URLSearchParams({ client_id: "storefront", redirect_uri: `http://${realm}.localhost:3000/account/callback`, response_type: "code", scope: "openid", state: "s", code_challenge: "x".repeat(43), code_challenge_method: "S256" })}`;

const ACME: StoreLook = {
  name: "Acme <Goods>",
  theme: { primary: "#e11d48", background: "#fffbeb", foreground: "#1c1917", accent: "#0369a1", radius: "4px", font: "Georgia, serif" },
};

describe("identity: pages themed per store", () => {
  const asked: string[] = [];
  let failing = false;
  let h: Harness;
  beforeAll(async () => {
    h = await startIdentity({
      storeInfo: async (realm) => {
        asked.push(realm.slug);
        if (failing || realm.slug === "broken") throw new Error("tenant service is down");
        return realm.slug === "acme" ? ACME : undefined;
      },
    });
    await provision(h.service, "acme");
    await provision(h.service, "broken");
  });
  afterAll(async () => h?.stop());

  it("shows the store's name and colors on the login page of its realm", async () => {
    const res = await h.service.app.request(authUrl("acme"));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-security-policy")).toContain("style-src 'unsafe-inline'");
    const html = await res.text();
    expect(html).toContain(`<span class="mark" aria-hidden="true">A</span>Acme &lt;Goods&gt;</div>`);
    expect(html).toContain("--bz-primary:#e11d48;");
    expect(html).toContain("--bz-bg:#fffbeb;");
    expect(html).toContain("--bz-font:Georgia, serif}");
    expect(html).toContain('<form method="post"');
  });

  it("themes the account pages too, asking the tenant service once a minute per realm", async () => {
    const before = asked.filter((s) => s === "acme").length;
    const res = await h.service.app.request(`/auth/realms/acme/login-actions/reset-credentials`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("--bz-primary:#e11d48;");
    expect(asked.filter((s) => s === "acme").length).toBe(before); // cached
  });

  it("still renders the page, in the neutral look, when the store's look cannot be had", async () => {
    const res = await h.service.app.request(authUrl("broken"));
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(`<span class="mark" aria-hidden="true">B</span>Bazaar</div>`);
    expect(html).toContain("--bz-primary:#4f46e5;");
    expect(html).toContain('<form method="post"');

    // acme's cached look lapses while the tenant service is down: the login page still renders.
    failing = true;
    h.clock.advance(61_000);
    const later = await h.service.app.request(authUrl("acme"));
    expect(later.status).toBe(200);
    const page = await later.text();
    expect(page).toContain("--bz-primary:#4f46e5;");
    expect(page).not.toContain("Acme");
    expect(page).toContain('<form method="post"');
    failing = false;
  });

  it("keeps the neutral look for the platform realm without asking", async () => {
    const res = await h.service.app.request(`/auth/realms/platform/login-actions/reset-credentials`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("Bazaar</div>");
    expect(asked).not.toContain("platform");
  });
});
