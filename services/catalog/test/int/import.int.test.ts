import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IdentityContext, Product, SearchResult } from "@bazaar/contracts";
import { signTenantHeaders } from "@bazaar/service-kit/tenancy";
import { eventually, TEST_SECRET } from "@bazaar/service-kit/testing";
import { productsToCsv, type ImportProductInput } from "../../src/modules/import/import.csv-write.ts";
import type { ImportJob } from "../../src/modules/import/import.schemas.ts";
import { startCatalog, type CatalogHarness, type Store } from "./harness.ts";

type ImportReply = ImportJob & { code?: string; detail?: string; errors: { row: number; field: string; message: string; path?: string }[]; import?: ImportJob };

describe("bulk import: CSV, JSON and NDJSON", () => {
  let h: CatalogHarness;
  let store: Store;
  let other: Store;
  /** Set by a test to pause an import after a written batch (the hook runs inside its transaction). */
  let afterBatch: ((written: number) => Promise<void>) | undefined;

  beforeAll(async () => {
    h = await startCatalog({ imports: { maxBytes: 20 * 1024 * 1024, progress: { everyMs: 0 }, afterBatch: (n) => afterBatch?.(n) ?? Promise.resolve() } });
    store = await h.provision("import-a");
    other = await h.provision("import-b");
    const outer = await h.call<{ id: string }>(store, "POST", "/api/v1/admin/categories", { name: "Outerwear" });
    await h.call(store, "POST", "/api/v1/admin/categories", { name: "Jackets", parentId: outer.body.id });
    await h.call(store, "POST", "/api/v1/admin/categories", { name: "Kitchen" });
    await h.call(store, "POST", "/api/v1/admin/brands", { name: "Northpeak" });
    await h.call(store, "POST", "/api/v1/admin/attributes", { code: "material", name: "Material", type: "select", values: ["nylon", "wool", "ceramic"] });
    await h.call(store, "POST", "/api/v1/admin/attributes", { code: "waterproof", name: "Waterproof", type: "boolean" });
    await h.call(store, "POST", "/api/v1/admin/attributes", { code: "weight", name: "Weight (kg)", type: "number" });
  });
  afterAll(async () => h?.stop());

  async function post(s: Store, query: string, body: string | ReadableStream<Uint8Array>, contentType: string, roles: IdentityContext["roles"] = ["owner"]) {
    const res = await h.service.app.request(`/api/v1/admin/imports${query}`, {
      method: "POST",
      headers: { ...signTenantHeaders(TEST_SECRET, s, { sub: "acc_importer", realm: s.slug, roles } as IdentityContext), "content-type": contentType },
      body,
      duplex: "half",
    } as RequestInit);
    return { status: res.status, headers: res.headers, body: (await res.json()) as ImportReply };
  }
  const csv = (s: Store, text: string, query = "") => post(s, query, text, "text/csv");
  const json = (s: Store, items: unknown, query = "") => post(s, query, JSON.stringify(items), "application/json");

  /** Everything an import may change: every product (hydrated) and the store's outbox. */
  async function snapshot(s: Store) {
    const products = await h.call<{ items: Product[] }>(s, "GET", "/api/v1/admin/products?limit=100");
    const [outbox] = await h.database.sql<{ n: number }[]>`select count(*)::int as n from public.bazaar_outbox where tenant_id = ${s.tenantId}`;
    return { products: products.body.items, outbox: outbox!.n };
  }
  const eventsOf = (s: Store, type: string) =>
    h.database.sql<{ envelope: { aggregateId: string; data: Record<string, unknown> } }[]>`
      select envelope from public.bazaar_outbox where tenant_id = ${s.tenantId} and type = ${type} order by seq`.then((rows) => rows.map((r) => r.envelope));

  const JACKET_CSV = [
    "slug,name,description,status,currency,brand,categories,images,option1_name,option1_value,option2_name,option2_value,sku,price,stock,price.EUR,attr.material,attr.waterproof,attr.weight",
    'stormshell,Stormshell Rain Jacket,"Light shell, for wet days",active,USD,northpeak,jackets|outerwear,/media/a.jpg|https://img.test/b.jpg,size,S,colour,red,SS-S-RED,8900,3,8200,nylon,true,0.45',
    "stormshell,,,,,,,,,M,,red,SS-M-RED,9900,0,,,,",
    "stormshell,,,,,,,,,M,,blue,SS-M-BLUE,9900,5,9100,,,",
    "camp-mug,Enamel Camp Mug,,draft,USD,,kitchen,,,,,,MUG-1,1500,12,,ceramic,false,0.3",
  ].join("\n");

  it("imports a CSV: products, variants, prices, brand, categories, typed attributes; readable and searchable; one event each", async () => {
    const res = await csv(store, JACKET_CSV);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.headers.get("location")).toBe(`/api/v1/admin/imports/${res.body.id}`);
    expect(res.body).toMatchObject({
      status: "completed",
      format: "csv",
      dryRun: false,
      counts: { rows: 4, valid: 4, invalid: 0, products: 2, created: 2, updated: 0, errors: 0 },
      errors: [],
      createdBy: "acc_importer",
    });
    const jacket = await h.call<Product>(store, "GET", "/api/v1/admin/products/stormshell");
    expect(jacket.body).toMatchObject({
      name: "Stormshell Rain Jacket",
      description: "Light shell, for wet days",
      price: { amount: 8900, currency: "USD" },
      brand: { slug: "northpeak" },
      attributes: { material: "nylon", waterproof: true, weight: 0.45 },
      images: [
        { url: "/media/a.jpg", alt: "Stormshell Rain Jacket", position: 0 },
        { url: "https://img.test/b.jpg", alt: "Stormshell Rain Jacket", position: 1 },
      ],
      options: [
        { name: "size", values: ["S", "M"] },
        { name: "colour", values: ["red", "blue"] },
      ],
      inStock: true,
    });
    expect(jacket.body.categories.map((c) => c.slug).sort()).toEqual(["jackets", "outerwear"]);
    expect(jacket.body.variants.map((v) => [v.sku, v.options, v.price.amount, v.stock, v.prices.map((p) => p.currency)])).toEqual([
      ["SS-S-RED", { size: "S", colour: "red" }, 8900, 3, ["USD", "EUR"]],
      ["SS-M-RED", { size: "M", colour: "red" }, 9900, 0, ["USD"]],
      ["SS-M-BLUE", { size: "M", colour: "blue" }, 9900, 5, ["USD", "EUR"]],
    ]);
    const mug = await h.call<Product>(store, "GET", "/api/v1/admin/products/camp-mug");
    expect(mug.body).toMatchObject({ status: "draft", attributes: { material: "ceramic", waterproof: false, weight: 0.3 }, categories: [{ slug: "kitchen" }] });
    const found = await h.call<SearchResult>(store, "GET", "/api/v1/products?q=stormshell", undefined, null);
    expect(found.body.items.map((i) => i.slug)).toEqual(["stormshell"]);
    const byBrand = await h.call<SearchResult>(store, "GET", "/api/v1/products?q=northpeak%20jacket", undefined, null);
    expect(byBrand.body.items.map((i) => i.slug)).toEqual(["stormshell"]);
    const created = await eventsOf(store, "catalog.product.created");
    expect(created.map((e) => e.data)).toEqual([
      {
        productId: jacket.body.id,
        slug: "stormshell",
        name: "Stormshell Rain Jacket",
        price: 8900,
        currency: "USD",
        variants: [{ sku: "SS-S-RED", stock: 3 }, { sku: "SS-M-RED", stock: 0 }, { sku: "SS-M-BLUE", stock: 5 }],
      },
      { productId: mug.body.id, slug: "camp-mug", name: "Enamel Camp Mug", price: 1500, currency: "USD", variants: [{ sku: "MUG-1", stock: 12 }] },
    ]);
    expect((await eventsOf(store, "catalog.import.completed")).map((e) => e.data)).toEqual([{ importId: res.body.id, created: 2, updated: 0 }]);
  });

  it("imports a JSON array and NDJSON, brands and categories named by slug or id", async () => {
    const cats = await h.call<{ items: { id: string; slug: string }[] }>(store, "GET", "/api/v1/categories", undefined, null);
    const kitchen = cats.body.items.find((c) => c.slug === "kitchen")!;
    const items: ImportProductInput[] = [
      { slug: "kettle", name: "Stovetop Kettle", currency: "USD", categories: [kitchen.id], attributes: { weight: 1 }, variants: [{ sku: "KET-1", price: 3500, stock: 2 }] },
      {
        slug: "wool-beanie",
        name: "Wool Beanie",
        currency: "EUR",
        brand: "northpeak",
        options: [{ name: "colour", values: ["grey", "navy"] }],
        variants: [
          { sku: "BEANIE-GREY", options: { colour: "grey" }, price: 2500, prices: { USD: 2700 } },
          { sku: "BEANIE-NAVY", options: { colour: "navy" }, price: 2400 },
        ],
      },
    ];
    const res = await json(store, items);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.counts).toMatchObject({ rows: 2, products: 2, created: 2 });
    const beanie = await h.call<Product>(store, "GET", "/api/v1/admin/products/wool-beanie");
    expect(beanie.body).toMatchObject({ price: { amount: 2400, currency: "EUR" }, brand: { slug: "northpeak" }, inStock: false });
    const nd = await post(store, "", `${JSON.stringify({ slug: "tea-tin", name: "Tea Tin", currency: "USD", variants: [{ sku: "TIN", price: 800 }] })}\n`, "application/x-ndjson");
    expect(nd.status).toBe(201);
    expect(nd.body.format).toBe("ndjson");
    expect((await h.call<SearchResult>(store, "GET", "/api/v1/products?q=kettle", undefined, null)).body.items.map((i) => i.slug)).toEqual(["kettle"]);
  });

  it("updates products whose slug exists: fields and categories replaced, variants replaced (a kept SKU keeps its id)", async () => {
    const before = await h.call<Product>(store, "GET", "/api/v1/admin/products/stormshell");
    const keptId = before.body.variants.find((v) => v.sku === "SS-S-RED")!.id;
    const res = await csv(
      store,
      [
        "slug,name,currency,brand,categories,option1_name,option1_value,sku,price,stock",
        "stormshell,Stormshell Pro Jacket,USD,,jackets,size,S,SS-S-RED,12000,1",
        "stormshell,,,,,,L,SS-L,13000,0",
      ].join("\n"),
    );
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.counts).toMatchObject({ created: 0, updated: 1 });
    const after = await h.call<Product>(store, "GET", "/api/v1/admin/products/stormshell");
    expect(after.body).toMatchObject({ id: before.body.id, name: "Stormshell Pro Jacket", description: "", brand: null, attributes: {}, images: [], price: { amount: 12000 } });
    expect(after.body.categories.map((c) => c.slug)).toEqual(["jackets"]);
    expect(after.body.variants.map((v) => [v.sku, v.price.amount, v.stock])).toEqual([
      ["SS-S-RED", 12000, 1],
      ["SS-L", 13000, 0],
    ]);
    expect(after.body.variants[0]!.id).toBe(keptId);
    expect((await h.call<SearchResult>(store, "GET", "/api/v1/products?q=pro%20jacket", undefined, null)).body.items.map((i) => i.slug)).toEqual(["stormshell"]);
    const updated = await eventsOf(store, "catalog.product.updated");
    expect(updated.at(-1)).toMatchObject({ aggregateId: before.body.id, data: { productId: before.body.id, slug: "stormshell", fields: expect.arrayContaining(["name", "variants"]) } });
  });

  it("dry run: reports what would be created and updated, writes nothing", async () => {
    const before = await snapshot(store);
    const res = await json(store, [
      { slug: "kettle", name: "Kettle II", currency: "USD", variants: [{ sku: "KET-1", price: 1 }] },
      { slug: "new-thing", name: "New Thing", currency: "USD", variants: [{ sku: "NEW-1", price: 1 }] },
    ], "?dryRun=true");
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ status: "completed", dryRun: true, counts: { created: 1, updated: 1, invalid: 0 } });
    expect(await snapshot(store)).toEqual(before);
  });

  const BAD_CSV = [
    "slug,name,description,currency,categories,sku,price,stock",
    "good-one,Good One,,USD,kitchen,G-1,100,1", // line 2
    "neg-price,Negative,,USD,,NEG-1,-5,1", // line 3
    "no-cat,Unknown Category,,USD,nowhere,NC-1,100,1", // line 4
    "dup-sku,Dup SKU,,USD,,G-1,100,1", // line 5: used by good-one above
    "taken-sku,Taken SKU,,USD,,MUG-1,100,1", // line 6: camp-mug's SKU in the store
    "good-one,Again,,USD,,G-2,100,1", // line 7: slug used above (not consecutive)
    `huge,Huge,${"d".repeat(10 * 1024 * 1024)},USD,,H-1,100,1`, // line 8: 10 MB description
    "broken,Broken,,USD,,B-1,100,1,extra", // line 9: a field too many
    "fraction,Fraction,,USD,,F-1,19.99,1", // line 10
    "good-two,Good Two,,USD,,G-3,100,1", // line 11
  ].join("\n");
  const BAD_FIELDS = [
    [3, "price"],
    [4, "categories"],
    [5, "sku"],
    [6, "sku"],
    [7, "slug"],
    [8, "description"],
    [9, "(row)"],
    [10, "price"],
  ];

  it("refuses a file with any invalid row: 422 with every row and field, and nothing changes", async () => {
    const before = await snapshot(store);
    const res = await csv(store, BAD_CSV);
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.body).toMatchObject({ code: "validation_failed", status: 422, detail: expect.stringContaining("nothing was imported") });
    expect(res.body.errors.map((e) => [e.row, e.field])).toEqual(BAD_FIELDS);
    expect(res.body.errors[0]).toMatchObject({ path: "3.price", message: expect.stringContaining(">=0") });
    expect(res.body.errors.find((e) => e.row === 6)!.message).toContain('"camp-mug"');
    expect(res.body.import).toMatchObject({ status: "failed", counts: { rows: 10, valid: 2, invalid: 8, errors: 8 } });
    expect(await snapshot(store)).toEqual(before);
    const job = await h.call<ImportJob>(store, "GET", `/api/v1/admin/imports/${res.body.import!.id}`);
    expect(job.body).toMatchObject({ status: "failed", message: expect.stringContaining("nothing was imported"), finishedAt: expect.any(String) });
    expect(job.body.errors).toHaveLength(8);
  });

  it("refuses the same problems in JSON by array index and path, and an unreadable file", async () => {
    const before = await snapshot(store);
    const res = await json(store, [
      { slug: "ok-json", name: "OK", currency: "USD", variants: [{ sku: "OKJ", price: 1 }] },
      { slug: "neg-json", name: "Neg", currency: "USD", variants: [{ sku: "NJ", price: -1 }] },
      { slug: "cat-json", name: "Cat", currency: "USD", categories: ["nowhere"], variants: [{ sku: "CJ", price: 1 }] },
      { slug: "ok-json", name: "Again", currency: "USD", variants: [{ sku: "OKJ", price: 1 }] },
      { slug: "big-json", name: "Big", currency: "USD", description: "d".repeat(10 * 1024 * 1024), variants: [{ sku: "BJ", price: 1 }] },
    ]);
    expect(res.status).toBe(422);
    expect(res.body.errors.map((e) => [e.row, e.field])).toEqual([
      [1, "variants.0.price"],
      [2, "categories.0"],
      [3, "slug"],
      [3, "variants.0.sku"],
      [4, "description"],
    ]);
    const broken = await csv(store, 'slug,name,currency,sku,price\nq,"Q"x,USD,Q-1,1\n');
    expect(broken.status).toBe(422);
    expect(broken.body.errors).toEqual([expect.objectContaining({ row: 2, field: "(row)" })]);
    const cut = await post(store, "", '[{"slug":"cut","name":"Cut","currency":"USD","variants":[{"sku":"CUT","price":1}]}, {"slug":"c', "application/json");
    expect(cut.status).toBe(422);
    expect(cut.body.errors).toEqual([expect.objectContaining({ row: 1, field: "(file)" })]);
    expect(await snapshot(store)).toEqual(before);
  });

  it("skipInvalid imports the valid products and reports the others", async () => {
    const res = await csv(store, BAD_CSV, "?skipInvalid=true");
    expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(201);
    expect(res.body.counts).toMatchObject({ rows: 10, valid: 2, invalid: 8, created: 2, errors: 8 });
    expect(res.body.errors.map((e) => [e.row, e.field])).toEqual(BAD_FIELDS);
    expect((await h.call(store, "GET", "/api/v1/admin/products/good-one")).status).toBe(200);
    expect((await h.call(store, "GET", "/api/v1/admin/products/good-two")).status).toBe(200);
    expect((await h.call(store, "GET", "/api/v1/admin/products/neg-price")).status).toBe(404);
  });

  it("refuses what is not CSV, JSON or NDJSON (415), a file over the limit (413), and viewers (403)", async () => {
    expect((await post(store, "", "x", "text/plain")).status).toBe(415);
    expect((await post(store, "?format=csv", "slug,name,currency,sku,price\n", "text/plain")).status).toBe(201);
    let sent = 0;
    const big = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > 21 * 1024 * 1024) return controller.close();
        sent += 1024 * 1024;
        controller.enqueue(new TextEncoder().encode(sent === 1024 * 1024 ? `slug,name,currency,sku,price\n${"x".repeat(1024 * 1024 - 29)}` : "y".repeat(1024 * 1024)));
      },
    });
    const tooBig = await post(store, "", big, "text/csv");
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.code).toBe("payload_too_large");
    expect((await post(store, "", JACKET_CSV, "text/csv", ["viewer"])).status).toBe(403);
  });

  it("shows progress while it runs: rows while the file streams in, products per batch while it writes", async () => {
    const N = 1200;
    const items = Array.from({ length: N }, (_, i) => ({ slug: `bulk-${i}`, name: `Bulk Item ${i}`, currency: "USD", variants: [{ sku: `BULK-${i}`, price: 100 + i, stock: 1 }] }));
    const text = productsToCsv(items);
    const half = text.indexOf("\n", text.length / 2) + 1;
    let release!: () => void;
    const rest = new Promise<void>((r) => (release = r));
    const body = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(new TextEncoder().encode(text.slice(0, half)));
        await rest;
        controller.enqueue(new TextEncoder().encode(text.slice(half)));
        controller.close();
      },
    });
    let resume!: () => void;
    const paused = new Promise<void>((r) => (resume = r));
    let reached!: () => void;
    const atFirstBatch = new Promise<void>((r) => (reached = r));
    afterBatch = async (written) => {
      if (written !== 500) return;
      reached();
      await paused;
    };
    const before = await snapshot(store);
    const running = post(store, "", body, "text/csv");
    try {
      // 1. Validating: half the rows are in, the rest not sent yet.
      const listed = await eventually(async () => {
        const list = await h.call<{ items: ImportJob[] }>(store, "GET", "/api/v1/admin/imports?limit=1");
        const job = list.body.items[0];
        return job?.status === "validating" && job.counts.rows > 0 ? job : undefined;
      }, "the running import in the list");
      expect(listed.counts.rows).toBeLessThan(N);
      expect(listed.bytes).toBeGreaterThan(0);
      release();
      // 2. Importing: the first batch is written inside the (uncommitted) import transaction.
      await atFirstBatch;
      const job = await eventually(async () => {
        const one = await h.call<ImportJob>(store, "GET", `/api/v1/admin/imports/${listed.id}`);
        return one.body.status === "importing" && one.body.counts.created === 500 ? one.body : undefined;
      }, "progress after the first batch");
      expect(job.counts).toMatchObject({ rows: N, valid: N });
      expect((await snapshot(store)).products).toEqual(before.products); // nothing visible before the commit
    } finally {
      release();
      resume();
    }
    const done = await running;
    afterBatch = undefined;
    expect(done.status).toBe(201);
    expect(done.body).toMatchObject({ status: "completed", counts: { created: N } });
    expect((await eventsOf(store, "catalog.product.created")).filter((e) => String(e.data.slug).startsWith("bulk-"))).toHaveLength(N);
    const list = await h.call<{ items: ImportJob[] }>(store, "GET", "/api/v1/admin/imports?limit=100");
    expect(list.body.items[0]!.id).toBe(done.body.id);
    expect(list.body.items.map((j) => j.id)).toEqual([...list.body.items.map((j) => j.id)].sort().reverse());
  });

  it("rolls everything back when a write fails half-way (a SKU taken meanwhile): 409, no product of the file, no event", async () => {
    const items = Array.from({ length: 600 }, (_, i) => ({ slug: `race-${i}`, name: `Race Item ${i}`, currency: "USD", variants: [{ sku: `RACE-${i}`, price: 100 }] }));
    afterBatch = async (written) => {
      // Between the first and second batch, another product takes a SKU of the second batch.
      if (written === 500) expect((await h.call(store, "POST", "/api/v1/admin/products", { name: "Winner", slug: "winner", currency: "USD", variants: [{ sku: "RACE-550", price: 1 }] })).status).toBe(201);
    };
    const before = await snapshot(store);
    const res = await json(store, items);
    afterBatch = undefined;
    expect(res.status).toBe(409);
    expect(res.body.code).toBe("conflict");
    const after = await snapshot(store);
    expect(after.products.filter((p) => p.slug.startsWith("race-"))).toEqual([]);
    expect(after.outbox).toBe(before.outbox + 1); // the winner's own productCreated only
    const jobs = await h.call<{ items: ImportJob[] }>(store, "GET", "/api/v1/admin/imports?limit=1");
    expect(jobs.body.items[0]).toMatchObject({ status: "failed", counts: { created: 0, updated: 0 }, message: expect.stringContaining("nothing was imported") });
  });

  it("runs a store's imports one at a time: the second waits as queued", async () => {
    let resume!: () => void;
    const paused = new Promise<void>((r) => (resume = r));
    let reached!: () => void;
    const atFirstBatch = new Promise<void>((r) => (reached = r));
    afterBatch = async () => {
      reached();
      await paused;
    };
    const first = json(store, [{ slug: "queue-one", name: "Queue One", currency: "USD", variants: [{ sku: "Q-1", price: 1 }] }]);
    await atFirstBatch;
    afterBatch = undefined;
    const second = json(store, [{ slug: "queue-two", name: "Queue Two", currency: "USD", variants: [{ sku: "Q-2", price: 1 }] }]);
    try {
      await eventually(async () => (await h.call<{ items: ImportJob[] }>(store, "GET", "/api/v1/admin/imports?limit=1")).body.items[0]?.status === "queued", "the second import to wait");
    } finally {
      resume();
    }
    expect((await first).status).toBe(201);
    expect((await second).status).toBe(201);
  });

  it("keeps jobs per store", async () => {
    const list = await h.call<{ items: ImportJob[] }>(store, "GET", "/api/v1/admin/imports");
    const id = list.body.items[0]!.id;
    expect((await h.call(other, "GET", `/api/v1/admin/imports/${id}`)).status).toBe(404);
    expect((await h.call<{ items: unknown[] }>(other, "GET", "/api/v1/admin/imports")).body.items).toEqual([]);
    expect((await h.call(store, "GET", "/api/v1/admin/imports/imp_nope")).status).toBe(404);
  });
});
