import { describe, expect, it } from "vitest";
import { emailProblems, passwordProblems } from "./account-pages.service.ts";
import { invitationPage, newPasswordPage, noticePage, registerPage, resetRequestPage, verifyEmailPage } from "./pages.ts";

const EVIL = `"><script>alert(1)</script><img src=x onerror=alert(2)>`;
const INJECTED = /<script>alert|<img src=x|onerror=alert\(2\)>/;

describe("account pages", () => {
  it("escape every dynamic value", () => {
    const form = { realm: "acme", action: `?client_id=${EVIL}`, csrf: EVIL, errors: [EVIL, EVIL] };
    const pages = [
      registerPage({ ...form, values: { email: EVIL, name: EVIL }, loginUrl: `auth?${EVIL}` }),
      resetRequestPage({ ...form, username: EVIL, loginUrl: `javascript:${EVIL}` }),
      newPasswordPage({ ...form, key: EVIL, email: EVIL }),
      verifyEmailPage({ ...form, key: EVIL, email: EVIL }),
      invitationPage({ ...form, key: EVIL, email: EVIL, role: EVIL, existing: false, name: EVIL }),
      invitationPage({ ...form, key: EVIL, email: EVIL, role: EVIL, existing: true }),
      noticePage({ realm: EVIL, title: EVIL, message: EVIL, link: { href: EVIL, text: EVIL } }),
    ];
    for (const html of pages) {
      expect(html).not.toMatch(INJECTED);
      expect(html).toContain("&lt;script&gt;");
    }
  });

  it("put the CSRF field in every form", () => {
    const form = { realm: "acme", action: "", csrf: "123.tok" };
    for (const html of [
      registerPage(form),
      resetRequestPage(form),
      newPasswordPage({ ...form, key: "k", email: "a@b.c" }),
      verifyEmailPage({ ...form, key: "k", email: "a@b.c" }),
      invitationPage({ ...form, key: "k", email: "a@b.c", role: "manager", existing: false }),
    ]) {
      expect(html).toContain('<input type="hidden" name="csrf" value="123.tok">');
      expect(html).toContain('<form method="post"');
    }
  });

  it("check new passwords and emails with Keycloak's messages", () => {
    expect(passwordProblems(undefined, undefined)).toEqual(["Please specify password."]);
    expect(passwordProblems("short", "short")).toEqual(["Invalid password: minimum length 8."]);
    expect(passwordProblems("x".repeat(257), "x".repeat(257))).toEqual(["Invalid password: maximum length 256."]);
    expect(passwordProblems("long enough", "long enougH")).toEqual(["Password confirmation doesn't match."]);
    expect(passwordProblems("long enough", "long enough")).toEqual([]);
    expect(emailProblems("")).toEqual(["Please specify email."]);
    expect(emailProblems("not-an-email")).toEqual(["Invalid email address."]);
    expect(emailProblems("a@acme.test")).toEqual([]);
  });
});
