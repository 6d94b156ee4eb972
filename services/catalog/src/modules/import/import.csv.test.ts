import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import type { AttributeType } from "@bazaar/contracts";
import { productsToCsv } from "./import.csv-write.ts";
import { readCsv } from "./import.csv.ts";
import { UnreadableFile, type Candidate, type ReadItem } from "./import.types.ts";

const attributeTypes = new Map<string, AttributeType>([
  ["weight", "number"],
  ["waterproof", "boolean"],
  ["material", "select"],
]);

/** Read a CSV text, fed in small chunks so rows straddle chunk boundaries. */
async function read(text: string, opts: { defaultCurrency?: string } = {}): Promise<ReadItem[]> {
  const chunks = text.match(/[\s\S]{1,7}/g) ?? [];
  const out: ReadItem[] = [];
  for await (const item of readCsv(Readable.from(chunks.map((c) => Buffer.from(c))), { attributeTypes, ...opts })) out.push(item);
  return out;
}
const products = (items: ReadItem[]): Candidate[] => items.flatMap((i) => (i.kind === "product" ? [i.candidate] : []));

const HEADER = "slug,name,description,currency,brand,categories,images,option1_name,option1_value,option2_name,option2_value,sku,price,stock,price.EUR,attr.weight,attr.waterproof,attr.material";

describe("CSV import reader", () => {
  it("groups consecutive rows by slug into one product with a variant per row, typed by the store's attributes", async () => {
    const csv = [
      HEADER,
      'jacket,Rain Jacket,"A shell, for rain",USD,northpeak,jackets|outerwear,https://x.test/a.jpg|/media/b.jpg,size,S,colour,red,J-S-R,8900,3,8200,1.25,yes,nylon',
      "jacket,,,,,,,,M,,red,J-M-R,9900,0,,,,",
      "jacket,,,,,,,,M,,blue,J-M-B,9900,,,,,",
      "mug,Mug,,USD,,,,,,,,MUG-1,1200,7,,0.4,false,",
    ].join("\n");
    const [jacket, mug, ...rest] = products(await read(csv));
    expect(rest).toEqual([]);
    expect(jacket!.row).toBe(2);
    expect(jacket!.rows).toBe(3);
    expect(jacket!.errors).toEqual([]);
    expect(jacket!.value).toEqual({
      slug: "jacket",
      name: "Rain Jacket",
      description: "A shell, for rain",
      currency: "USD",
      brand: "northpeak",
      categories: ["jackets", "outerwear"],
      images: [
        { url: "https://x.test/a.jpg", alt: "Rain Jacket" },
        { url: "/media/b.jpg", alt: "Rain Jacket" },
      ],
      options: [
        { name: "size", values: ["S", "M"] },
        { name: "colour", values: ["red", "blue"] },
      ],
      attributes: { weight: 1.25, waterproof: true, material: "nylon" },
      variants: [
        { sku: "J-S-R", options: { size: "S", colour: "red" }, price: 8900, prices: { EUR: 8200 }, stock: 3 },
        { sku: "J-M-R", options: { size: "M", colour: "red" }, price: 9900, prices: {}, stock: 0 },
        { sku: "J-M-B", options: { size: "M", colour: "blue" }, price: 9900, prices: {} },
      ],
    });
    expect(mug!.row).toBe(5);
    expect(mug!.value).toMatchObject({ slug: "mug", brand: null, categories: [], images: [], options: [], attributes: { weight: 0.4, waterproof: false } });
  });

  it("maps problems to the CSV line and column, and reports cells that are not numbers while reading", async () => {
    const csv = [HEADER, "a,A,,USD,,,,size,S,,,A-1,19.99,x,-5,heavy,perhaps,", "a,,,,,,,,,,,A-2,100,,,,,"].join("\n");
    const [a] = products(await read(csv));
    expect(a!.errors).toEqual([
      { row: 2, field: "attr.weight", message: '"heavy" is not a number' },
      { row: 2, field: "attr.waterproof", message: '"perhaps" is not true or false' },
      { row: 2, field: "price", message: expect.stringContaining("not a whole number") },
      { row: 2, field: "stock", message: expect.stringContaining("not a whole number") },
      { row: 3, field: "option1_value", message: 'required: the product has the option "size"' },
    ]);
    // -5 is a number: the schema refuses it later, at the column it came from.
    expect((a!.value as { variants: { prices: object }[] }).variants[0]!.prices).toEqual({ EUR: -5 });
    expect(a!.locate(["variants", 0, "prices", "EUR"])).toEqual({ row: 2, field: "price.EUR" });
    expect(a!.locate(["variants", 1, "price"])).toEqual({ row: 3, field: "price" });
    expect(a!.locate(["variants", 1, "options", "size"])).toEqual({ row: 3, field: "option1_value" });
    expect(a!.locate(["categories", 0])).toEqual({ row: 2, field: "categories" });
    expect(a!.locate(["attributes", "material"])).toEqual({ row: 2, field: "attr.material" });
    expect(a!.locate(["description"])).toEqual({ row: 2, field: "description" });
  });

  it("counts lines through quoted newlines, and reports a row with the wrong number of fields with its product", async () => {
    const csv = ["slug,name,description,currency,sku,price", 'a,A,"two\nlines",USD,A-1,1', "", "b,B,,USD,B-1", "b,B,,USD,B-2,1", ",,,,,1,2,3", "c,C,,USD,C-1,5"].join("\n");
    const items = await read(csv);
    expect(items.map((i) => (i.kind === "product" ? ["product", i.candidate.row, i.candidate.rows] : ["error", i.error.row]))).toEqual([
      ["product", 2, 1],
      ["product", 5, 2],
      ["error", 7],
      ["product", 8, 1],
    ]);
    const b = products(items)[1]!;
    expect(b.errors).toEqual([{ row: 5, field: "(row)", message: "this row has 5 fields; the header has 6" }]);
    expect((b.value as { variants: unknown[] }).variants).toHaveLength(1);
  });

  it("refuses a bad header or broken quoting as an unreadable file, naming the line", async () => {
    await expect(read("slug,name,prise,sku,price,currency\n")).rejects.toMatchObject({ error: { row: 1, field: "prise" } });
    await expect(read("slug,name,sku,price\n")).rejects.toMatchObject({ error: { row: 1, field: "currency" } });
    expect((await read("slug,name,sku,price\na,A,A-1,1\n", { defaultCurrency: "EUR" })).length).toBe(1);
    await expect(read("slug,name,sku,price,currency,attr.colour\n")).rejects.toMatchObject({ error: { field: "attr.colour" } });
    const broken = read('slug,name,sku,price,currency\na,A,A-1,1,USD\nb,"B"x,B-1,1,USD\n');
    await expect(broken).rejects.toBeInstanceOf(UnreadableFile);
    await expect(broken).rejects.toMatchObject({ error: { row: 3, field: "(row)" } });
    await expect(read("")).rejects.toMatchObject({ error: { row: 1, field: "(file)" } });
  });

  it("reads back what productsToCsv writes", async () => {
    const items = [
      {
        slug: "tee",
        name: 'Tee "Classic", cotton',
        description: "Soft.\nWashable.",
        currency: "USD",
        brand: "acme",
        categories: ["tops"],
        images: [{ url: "/media/tee.jpg", alt: "" }],
        attributes: { weight: 0.2, waterproof: false },
        options: [{ name: "size", values: ["S", "M"] }],
        variants: [
          { sku: "TEE-S", options: { size: "S" }, price: 1500, prices: { EUR: 1400 }, stock: 2 },
          { sku: "TEE-M", options: { size: "M" }, price: 1600, stock: 0 },
        ],
      },
      { slug: "cap", name: "Cap", currency: "USD", variants: [{ sku: "CAP", price: 900 }] },
    ];
    const [tee, cap] = products(await read(productsToCsv(items)));
    expect(tee!.errors).toEqual([]);
    expect(tee!.value).toMatchObject({
      slug: "tee",
      name: 'Tee "Classic", cotton',
      description: "Soft.\nWashable.",
      brand: "acme",
      categories: ["tops"],
      images: [{ url: "/media/tee.jpg", alt: 'Tee "Classic", cotton' }],
      attributes: { weight: 0.2, waterproof: false },
      options: [{ name: "size", values: ["S", "M"] }],
      variants: [
        { sku: "TEE-S", options: { size: "S" }, price: 1500, prices: { EUR: 1400 }, stock: 2 },
        { sku: "TEE-M", options: { size: "M" }, price: 1600, prices: {}, stock: 0 },
      ],
    });
    expect(cap!.row).toBe(5); // the description's newline is a line of its own
    expect(cap!.value).toMatchObject({ slug: "cap", variants: [{ sku: "CAP", price: 900, options: {}, prices: {} }] });
  });
});
