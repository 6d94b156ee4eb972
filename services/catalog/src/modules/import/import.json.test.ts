import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readJsonArray, readNdjson } from "./import.json.ts";
import type { ReadItem } from "./import.types.ts";

async function* chunked(text: string, sizes: number[]): AsyncGenerator<string> {
  let at = 0;
  for (let i = 0; at < text.length; i++) {
    const n = Math.max(1, sizes[i % sizes.length] ?? 1);
    yield text.slice(at, at + n);
    at += n;
  }
}

async function collect(items: AsyncIterable<ReadItem>): Promise<ReadItem[]> {
  const out: ReadItem[] = [];
  for await (const item of items) out.push(item);
  return out;
}

const summary = (items: ReadItem[]) => items.map((i) => (i.kind === "product" ? { row: i.candidate.row, value: i.candidate.value } : { row: i.error.row, error: i.error.field }));

describe("JSON import reader", () => {
  it("yields every item of any array, in order, however the text is split and spaced", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.jsonValue({ maxDepth: 3 })),
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 8 }),
        fc.boolean(),
        async (values, sizes, pretty) => {
          const text = JSON.stringify(values, null, pretty ? 2 : undefined);
          const items = await collect(readJsonArray(chunked(text, sizes)));
          // JSON.parse(JSON.stringify(v)) normalises -0 to 0, as the import's own parse does.
          expect(summary(items)).toEqual(values.map((v, row) => ({ row, value: JSON.parse(JSON.stringify(v)) })));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("reports a malformed item by its index and still reads the items after it", async () => {
    const text = '[{"slug":"a"}, {"slug": "b",}, {"slug":"c\\"]"}, [1,2], oops, {"x":{"y":[1]}}]';
    expect(summary(await collect(readJsonArray(chunked(text, [3]))))).toEqual([
      { row: 0, value: { slug: "a" } },
      { row: 1, error: "(item)" },
      { row: 2, value: { slug: 'c"]' } },
      { row: 3, value: [1, 2] },
      { row: 4, error: "(item)" },
      { row: 5, value: { x: { y: [1] } } },
    ]);
  });

  it("refuses text that is not one array, or that ends inside it", async () => {
    for (const text of ['{"slug":"a"}', "", "  ", '[{"a":1}] x', '[{"a":1},', '[{"a":"1}]', "[1,,2]", "[1,]"]) {
      await expect(collect(readJsonArray(chunked(text, [5]))), text).rejects.toMatchObject({ name: "UnreadableFile", error: { field: "(file)" } });
    }
    expect(await collect(readJsonArray(chunked("\ufeff [ ] \n", [2])))).toEqual([]);
  });

  it("reads NDJSON line by line, numbering lines from 1 and skipping blank ones", async () => {
    const text = '{"slug":"a"}\r\n\n{"slug":\n{"slug":"d"}';
    expect(summary(await collect(readNdjson(chunked(text, [4]))))).toEqual([
      { row: 1, value: { slug: "a" } },
      { row: 3, error: "(item)" },
      { row: 4, value: { slug: "d" } },
    ]);
  });
});
