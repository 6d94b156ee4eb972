import { describe, expect, it } from "vitest";
import { resolveSettings } from "../../settings.ts";
import { defaultClients, redirectAllowed } from "./clients.service.ts";

const patterns = ["http://acme.localhost:3000/*", "https://app.example.test/callback"];

describe("redirectAllowed", () => {
  it.each([
    "http://acme.localhost:3000/",
    "http://acme.localhost:3000/account/callback?x=1",
    "https://app.example.test/callback",
  ])("admits %s", (uri) => expect(redirectAllowed(patterns, uri)).toBe(true));

  it.each([
    "http://acme.localhost:3000",
    "http://acme.localhost:3000.evil.test/",
    "http://acme.localhost:30000/",
    "http://evil.test/?http://acme.localhost:3000/",
    "http://user:pw@acme.localhost:3000/",
    "http://acme.localhost:3000/#frag",
    "https://acme.localhost:3000/",
    "https://app.example.test/callback/more",
    "https://app.example.test/callback?x=1",
    "javascript:alert(1)//http://acme.localhost:3000/",
    "not a url",
    "",
  ])("refuses %j", (uri) => expect(redirectAllowed(patterns, uri)).toBe(false));
});

describe("defaultClients", () => {
  const settings = resolveSettings({} as never);

  it("gives a store realm a storefront on its own subdomain and the admin app", () => {
    expect(defaultClients("acme", settings)).toEqual([
      { clientId: "storefront", origins: ["http://acme.localhost:3000"] },
      { clientId: "admin", origins: ["http://localhost:3001"] },
    ]);
  });

  it("gives the platform realm the admin app only", () => {
    expect(defaultClients("platform", settings).map((c) => c.clientId)).toEqual(["admin"]);
  });

  it("takes store origins from configuration", () => {
    const custom = resolveSettings({ storefrontOrigins: ["https://{slug}.shops.example"] } as never);
    expect(defaultClients("volt", custom)[0]!.origins).toEqual(["https://volt.shops.example"]);
  });
});
