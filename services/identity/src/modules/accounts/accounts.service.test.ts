import { describe, expect, it } from "vitest";
import { DEFAULT_PASSWORD_PARAMS } from "../../settings.ts";
import { grantedScope } from "../tokens/tokens.mint.ts";
import { checkRolesForRealm, normalizeEmail } from "./accounts.service.ts";
import { createPasswords } from "./passwords.ts";

describe("accounts", () => {
  it("normalises emails to lowercase without surrounding space", () => {
    expect(normalizeEmail("  Owner@Acme.TEST ")).toBe("owner@acme.test");
  });

  it("keeps operators in the platform realm and only there", () => {
    expect(() => checkRolesForRealm("platform", ["operator"])).not.toThrow();
    expect(() => checkRolesForRealm("acme", ["owner", "shopper"])).not.toThrow();
    expect(() => checkRolesForRealm("acme", ["operator"])).toThrow(expect.objectContaining({ code: "validation_failed" }));
    expect(() => checkRolesForRealm("platform", ["owner"])).toThrow(expect.objectContaining({ code: "validation_failed" }));
  });

  it("grants openid only when asked, plus profile and email", () => {
    expect(grantedScope("openid offline_access bogus")).toBe("openid profile email");
    expect(grantedScope(undefined)).toBe("profile email");
  });
});

describe("passwords", () => {
  const passwords = createPasswords(DEFAULT_PASSWORD_PARAMS);

  it("hashes with argon2id at the configured cost and verifies", async () => {
    const stored = await passwords.hash("correct horse battery");
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await passwords.verify(stored, "correct horse battery")).toBe(true);
    expect(await passwords.verify(stored, "Correct horse battery")).toBe(false);
    expect(await passwords.verify("not a hash", "x")).toBe(false);
    await expect(passwords.burn("anything")).resolves.toBeUndefined();
  });
});
