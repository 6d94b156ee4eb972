import type { z } from "zod";
import type { ImportProduct } from "@bazaar/contracts";

/** What an import file holds per product (defaults may be left out). */
export type ImportProductInput = z.input<typeof ImportProduct>;

function quote(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The columns a CSV of these products needs: fixed ones, then the currencies and attributes they use. */
export function csvColumns(items: Iterable<ImportProductInput>): string[] {
  let axes = 0;
  const currencies = new Set<string>();
  const attributes = new Set<string>();
  for (const p of items) {
    axes = Math.max(axes, p.options?.length ?? 0);
    for (const v of p.variants) for (const c of Object.keys(v.prices ?? {})) currencies.add(c);
    for (const code of Object.keys(p.attributes ?? {})) attributes.add(code);
  }
  return [
    "slug",
    "name",
    "description",
    "status",
    "currency",
    "brand",
    "categories",
    "images",
    ...Array.from({ length: axes }, (_, i) => [`option${i + 1}_name`, `option${i + 1}_value`]).flat(),
    "sku",
    "price",
    "stock",
    ...[...currencies].sort().map((c) => `price.${c}`),
    ...[...attributes].sort().map((a) => `attr.${a}`),
  ];
}

/** The CSV lines of one product (a line per variant; product columns on the first line only). */
export function productCsvLines(p: ImportProductInput, columns: string[]): string[] {
  return p.variants.map((v, i) => {
    const cells = columns.map((column): string => {
      if (i === 0) {
        switch (column) {
          case "name":
            return p.name;
          case "description":
            return p.description ?? "";
          case "status":
            return p.status ?? "";
          case "currency":
            return p.currency;
          case "brand":
            return p.brand ?? "";
          case "categories":
            return (p.categories ?? []).join("|");
          case "images":
            return (p.images ?? []).map((img) => img.url).join("|");
        }
        if (column.startsWith("attr.")) {
          const value = p.attributes?.[column.slice(5)];
          return value === undefined ? "" : String(value);
        }
        const name = /^option(\d)_name$/.exec(column);
        if (name) return p.options?.[Number(name[1]) - 1]?.name ?? "";
      }
      if (column === "slug") return p.slug;
      if (column === "sku") return v.sku;
      if (column === "price") return String(v.price);
      if (column === "stock") return v.stock === undefined ? "" : String(v.stock);
      if (column.startsWith("price.")) {
        const amount = v.prices?.[column.slice(6)];
        return amount === undefined ? "" : String(amount);
      }
      const value = /^option(\d)_value$/.exec(column);
      if (value) {
        const axis = p.options?.[Number(value[1]) - 1]?.name;
        return axis ? (v.options?.[axis] ?? "") : "";
      }
      return "";
    });
    return cells.map(quote).join(",");
  });
}

/**
 * A CSV file of these products in the import layout (`POST /api/v1/admin/imports?format=csv`).
 * Image alt texts are not kept (an import uses the product name).
 * @example fs.writeFileSync("catalog.csv", productsToCsv(products))
 */
export function productsToCsv(items: ImportProductInput[]): string {
  const columns = csvColumns(items);
  const lines = [columns.join(",")];
  for (const p of items) lines.push(...productCsvLines(p, columns));
  return `${lines.join("\n")}\n`;
}
