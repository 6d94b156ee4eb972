import type { Readable } from "node:stream";
import { parse, type CsvError } from "csv-parse";
import type { AttributeType } from "@bazaar/contracts";
import { UnreadableFile, type Candidate, type ReadItem, type RowError } from "./import.types.ts";

/*
 * CSV imports, laid out like Shopify's: one row per variant; consecutive rows with the same `slug`
 * are one product, whose product-level columns are read from its first row (later rows may leave
 * them empty). Prices are whole minor units (1999 = 19.99), as everywhere in the API.
 */

export const PRODUCT_COLUMNS = ["slug", "name", "description", "status", "currency", "brand", "categories", "images"] as const;
export const VARIANT_COLUMNS = ["sku", "price", "stock"] as const;
export const OPTION_COLUMNS = [1, 2, 3].flatMap((n) => [`option${n}_name`, `option${n}_value`]);
const PRICE_COLUMN = /^price\.([A-Z]{3})$/;
const ATTR_COLUMN = /^attr\.([a-z][a-z0-9_]{0,39})$/;
const INTEGER = /^\s*-?\d+\s*$/;
const NUMBER = /^\s*-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$/;
const TRUE = new Set(["true", "yes", "1"]);
const FALSE = new Set(["false", "no", "0"]);

export interface CsvOptions {
  /** Types of the store's attributes, to read `attr.<code>` cells as numbers and booleans. */
  attributeTypes: ReadonlyMap<string, AttributeType>;
  /** Whether a `currency` column may be missing (the import names a default currency). */
  defaultCurrency?: string | undefined;
}

interface Row {
  line: number;
  cells: Map<string, string>;
  errors: RowError[];
  /** A malformed row: reported, contributes no variant. */
  broken: boolean;
}

/** Check the header; returns the column names or throws UnreadableFile naming the bad column. */
export function checkHeader(header: string[], opts: CsvOptions): string[] {
  const bad = (field: string, message: string): never => {
    throw new UnreadableFile({ row: 1, field, message });
  };
  const names = header.map((h) => h.trim());
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) bad(name, "this column appears twice");
    seen.add(name);
    if ((PRODUCT_COLUMNS as readonly string[]).includes(name) || (VARIANT_COLUMNS as readonly string[]).includes(name) || OPTION_COLUMNS.includes(name)) continue;
    if (PRICE_COLUMN.test(name)) continue;
    const attr = ATTR_COLUMN.exec(name);
    if (attr) {
      if (!opts.attributeTypes.has(attr[1]!)) bad(name, `this store has no attribute "${attr[1]}" (create it first, or remove the column)`);
      continue;
    }
    bad(name || "(empty)", `unknown column; columns are ${[...PRODUCT_COLUMNS, ...VARIANT_COLUMNS].join(", ")}, option1_name..option3_value, price.<CURRENCY> and attr.<code>`);
  }
  for (const required of ["slug", "name", "sku", "price"]) if (!seen.has(required)) bad(required, "this column is required");
  if (!seen.has("currency") && !opts.defaultCurrency) bad("currency", "this column is required unless the import names a currency (?currency=USD)");
  for (const n of [1, 2, 3]) if (seen.has(`option${n}_value`) !== seen.has(`option${n}_name`)) bad(`option${n}_name`, `option${n}_name and option${n}_value go together`);
  return names;
}

function integerCell(row: Row, column: string, required: boolean): number | undefined {
  const text = row.cells.get(column) ?? "";
  if (text.trim() === "") {
    if (required) row.errors.push({ row: row.line, field: column, message: "required" });
    return undefined;
  }
  if (!INTEGER.test(text)) {
    row.errors.push({ row: row.line, field: column, message: `"${text.slice(0, 40)}" is not a whole number (prices are in minor units: 1999 for 19.99)` });
    return undefined;
  }
  return Number(text);
}

function attributeCell(row: Row, column: string, type: AttributeType | undefined): string | number | boolean | undefined {
  const text = (row.cells.get(column) ?? "").trim();
  if (text === "") return undefined;
  if (type === "number") {
    if (NUMBER.test(text)) return Number(text);
    row.errors.push({ row: row.line, field: column, message: `"${text.slice(0, 40)}" is not a number` });
    return undefined;
  }
  if (type === "boolean") {
    const lower = text.toLowerCase();
    if (TRUE.has(lower)) return true;
    if (FALSE.has(lower)) return false;
    row.errors.push({ row: row.line, field: column, message: `"${text.slice(0, 40)}" is not true or false` });
    return undefined;
  }
  return text;
}

const list = (text: string | undefined) =>
  (text ?? "")
    .split("|")
    .map((s) => s.trim())
    .filter(Boolean);

/** Build one product from its rows (the first row holds the product-level columns). */
export function groupToCandidate(rows: Row[], columns: string[], opts: CsvOptions): Candidate {
  const first = rows[0]!;
  const cell = (column: string) => first.cells.get(column) ?? "";
  const optional = (column: string) => (cell(column).trim() === "" ? undefined : cell(column));
  const axes = [1, 2, 3]
    .map((n) => ({ n, name: cell(`option${n}_name`).trim() }))
    .filter((a) => a.name !== "")
    .map((a) => ({ ...a, values: [] as string[] }));
  const name = cell("name");
  const attributes: Record<string, string | number | boolean> = {};
  for (const column of columns) {
    const attr = ATTR_COLUMN.exec(column);
    if (!attr) continue;
    const value = attributeCell(first, column, opts.attributeTypes.get(attr[1]!));
    if (value !== undefined) attributes[attr[1]!] = value;
  }
  const variantRows = rows.filter((r) => !r.broken);
  const variants = variantRows.map((r) => {
    const options: Record<string, string> = {};
    for (const axis of axes) {
      const value = (r.cells.get(`option${axis.n}_value`) ?? "").trim();
      if (value === "") {
        r.errors.push({ row: r.line, field: `option${axis.n}_value`, message: `required: the product has the option "${axis.name}"` });
        continue;
      }
      options[axis.name] = value;
      if (!axis.values.includes(value)) axis.values.push(value);
    }
    for (const n of [1, 2, 3]) {
      if (!axes.some((a) => a.n === n) && (r.cells.get(`option${n}_value`) ?? "").trim() !== "") {
        r.errors.push({ row: r.line, field: `option${n}_value`, message: `the product's first row gives no option${n}_name` });
      }
    }
    const price = integerCell(r, "price", true);
    const stock = integerCell(r, "stock", false);
    const prices: Record<string, number> = {};
    for (const column of columns) {
      const currency = PRICE_COLUMN.exec(column)?.[1];
      if (!currency) continue;
      const amount = integerCell(r, column, false);
      if (amount !== undefined) prices[currency] = amount;
    }
    return { sku: (r.cells.get("sku") ?? "").trim(), options, price, prices, ...(stock !== undefined ? { stock } : {}) };
  });
  const currency = optional("currency")?.trim() ?? opts.defaultCurrency;
  const value = {
    slug: cell("slug").trim(),
    name,
    ...(optional("description") !== undefined ? { description: cell("description") } : {}),
    ...(optional("status") !== undefined ? { status: cell("status").trim() } : {}),
    ...(currency !== undefined ? { currency } : {}),
    brand: optional("brand")?.trim() ?? null,
    categories: list(cell("categories")),
    images: list(cell("images")).map((url) => ({ url, alt: name.trim() })),
    options: axes.map((a) => ({ name: a.name, values: a.values })),
    attributes,
    variants,
  };
  const locate = (path: readonly PropertyKey[]): { row: number; field: string } => {
    const [head, i, sub, key] = path;
    if (head === "variants" && typeof i === "number") {
      const r = variantRows[i] ?? first;
      if (sub === "prices" && typeof key === "string") return { row: r.line, field: `price.${key}` };
      if (sub === "options") {
        const axis = axes.find((a) => a.name === key) ?? axes[0];
        return { row: r.line, field: axis ? `option${axis.n}_value` : "sku" };
      }
      return { row: r.line, field: typeof sub === "string" ? sub : "sku" };
    }
    if (head === "variants") return { row: first.line, field: "sku" };
    if (head === "options") {
      const axis = typeof i === "number" ? axes[i] : axes[0];
      return { row: first.line, field: `option${axis?.n ?? 1}_${sub === "values" ? "value" : "name"}` };
    }
    if (head === "attributes" && typeof i === "string") return { row: first.line, field: `attr.${i}` };
    return { row: first.line, field: typeof head === "string" ? head : "(row)" };
  };
  return { row: first.line, rows: rows.length, value, errors: rows.flatMap((r) => r.errors), locate };
}

/** csv-parse reports the line where a record ends; the row starts that many newlines earlier. */
function startLine(endLine: number, record: string[]): number {
  let newlines = 0;
  for (const field of record) for (let i = field.indexOf("\n"); i !== -1; i = field.indexOf("\n", i + 1)) newlines++;
  return endLine - newlines;
}

/**
 * Products of a CSV file, streamed through csv-parse; rows are line numbers (the header is line 1).
 * @throws UnreadableFile for a bad header or broken quoting (the rows after it cannot be trusted).
 */
export async function* readCsv(input: Readable, opts: CsvOptions): AsyncGenerator<ReadItem> {
  const parser = input.pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true }));
  input.once("error", (err) => parser.destroy(err));
  let columns: string[] | undefined;
  let group: Row[] = [];
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const line = startLine(info.lines, record);
      if (!columns) {
        columns = checkHeader(record, opts);
        continue;
      }
      const cells = new Map<string, string>();
      columns.forEach((c, i) => cells.set(c, record[i] ?? ""));
      const slug = (cells.get("slug") ?? "").trim();
      const row: Row = { line, cells, errors: [], broken: record.length !== columns.length };
      if (row.broken) row.errors.push({ row: line, field: "(row)", message: `this row has ${record.length} fields; the header has ${columns.length}` });
      if (group.length && (slug === "" || slug !== (group[0]!.cells.get("slug") ?? "").trim())) {
        yield { kind: "product", candidate: groupToCandidate(group, columns, opts) };
        group = [];
      }
      if (row.broken && slug === "") {
        yield { kind: "error", error: row.errors[0]!, rows: 1 };
        continue;
      }
      group.push(row);
    }
  } catch (err) {
    if (err instanceof UnreadableFile) throw err;
    const csv = err as CsvError & { lines?: number };
    if (typeof csv.code === "string" && csv.code.startsWith("CSV_")) {
      throw new UnreadableFile({ row: csv.lines ?? 0, field: "(row)", message: `${csv.message}; fix the quoting (a quote inside a field is written as "")` });
    }
    throw err;
  }
  if (!columns) throw new UnreadableFile({ row: 1, field: "(file)", message: "The file is empty; the first line must name the columns." });
  if (group.length) yield { kind: "product", candidate: groupToCandidate(group, columns, opts) };
}
