import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CategoryNode } from "@bazaar/contracts";
import { testPlatform } from "./harness.ts";

describe("categories and brands", () => {
  let p: Awaited<ReturnType<typeof testPlatform>>;
  const post = (tenant: string, path: string, body: unknown) => p.api(path, { method: "POST", admin: true, tenant, body: JSON.stringify(body) });

  beforeAll(async () => {
    p = await testPlatform();
    for (const slug of ["tax-a", "tax-b"]) {
      await p.api("/api/v1/platform/tenants", {
        method: "POST",
        admin: true,
        body: JSON.stringify({ slug, name: slug, ownerEmail: `o@${slug}.test`, plan: "starter", currency: "USD" }),
      });
    }
  });
  afterAll(() => p?.stop());

  it("builds the category tree a shopper browses, siblings in the merchant's order", async () => {
    const men = await (await post("tax-a", "/api/v1/admin/categories", { name: "Men", position: 1 })).json();
    const women = await (await post("tax-a", "/api/v1/admin/categories", { name: "Women", position: 0 })).json();
    const jackets = await post("tax-a", "/api/v1/admin/categories", { name: "Jackets", parentId: men.id });
    expect(jackets.status).toBe(201);
    const tree = (await (await p.api("/api/v1/categories", { tenant: "tax-a" })).json()).items as CategoryNode[];
    expect(tree.map((n) => n.slug)).toEqual(["women", "men"]);
    expect(tree[1]!.children.map((n) => n.name)).toEqual(["Jackets"]);
    expect(tree[0]!.id).toBe(women.id);
  });

  it("refuses an unknown parent with the field named, and a taken slug with 409, changing nothing", async () => {
    const orphan = await post("tax-a", "/api/v1/admin/categories", { name: "Orphan", parentId: "cat_00000000000000000000000000" });
    expect(orphan.status).toBe(422);
    expect((await orphan.json()).errors).toEqual([{ path: "parentId", message: "unknown category" }]);
    const again = await post("tax-a", "/api/v1/admin/categories", { name: "Men" });
    expect(again.status).toBe(409);
    const tree = (await (await p.api("/api/v1/categories", { tenant: "tax-a" })).json()).items as CategoryNode[];
    expect(tree).toHaveLength(2);
  });

  it("lists brands by name, per store", async () => {
    expect((await post("tax-a", "/api/v1/admin/brands", { name: "Zephyr" })).status).toBe(201);
    expect((await post("tax-a", "/api/v1/admin/brands", { name: "Aurora" })).status).toBe(201);
    const a = (await (await p.api("/api/v1/brands", { tenant: "tax-a" })).json()).items;
    expect(a.map((b: { name: string }) => b.name)).toEqual(["Aurora", "Zephyr"]);
    expect((await (await p.api("/api/v1/brands", { tenant: "tax-b" })).json()).items).toEqual([]);
    expect((await (await p.api("/api/v1/categories", { tenant: "tax-b" })).json()).items).toEqual([]);
  });
});
