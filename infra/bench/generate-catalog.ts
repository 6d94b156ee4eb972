/**
 * Demo catalogs for benchmarks and imports: 10k-100k realistic products, generated locally and
 * deterministically (services/catalog/src/demo). Products are written as they are generated, so
 * 100,000 never sit in memory together.
 *
 * Usage: pnpm catalog:generate --kind apparel|electronics --count N [--seed S] [--currency USD|EUR]
 *                              [--format ndjson|json|csv] [--out FILE] [--taxonomy FILE]
 *
 *   --format    ndjson (default): one ImportProduct per line; json: one array; csv: the import's
 *               CSV layout (a line per variant; image alt texts are not kept)
 *   --out       the product file (default: standard output)
 *   --taxonomy  also write { categories, brands, attributes } as JSON: create those in the store
 *               before importing the products (`POST /api/v1/admin/imports` names them by slug)
 *
 * Figures (products, variants, bytes, seconds) go to standard error.
 */
import fs from "node:fs";
import { parseArgs } from "node:util";
import { DEFAULT_SEED, DEMO_KINDS, demoProducts, demoTaxonomy, type DemoKind } from "../../services/catalog/src/demo/generate.ts";
import { csvColumns, productCsvLines } from "../../services/catalog/src/modules/import/import.csv-write.ts";

const FORMATS = ["ndjson", "json", "csv"] as const;
type Format = (typeof FORMATS)[number];

function fail(message: string): never {
  process.stderr.write(`generate-catalog: ${message}\n`);
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    kind: { type: "string" },
    count: { type: "string" },
    seed: { type: "string", default: String(DEFAULT_SEED) },
    currency: { type: "string", default: "USD" },
    format: { type: "string", default: "ndjson" },
    out: { type: "string" },
    taxonomy: { type: "string" },
  },
  strict: true,
});
const kind = values.kind as DemoKind;
if (!DEMO_KINDS.includes(kind)) fail(`--kind must be one of ${DEMO_KINDS.join(", ")}`);
const count = Number(values.count);
if (!Number.isSafeInteger(count) || count < 1 || count > 10_000_000) fail("--count must be a whole number from 1 to 10,000,000");
const seed = Number(values.seed);
if (!Number.isSafeInteger(seed)) fail("--seed must be a whole number");
const currency = values.currency;
if (currency !== "USD" && currency !== "EUR") fail("--currency must be USD or EUR");
const format = values.format as Format;
if (!FORMATS.includes(format)) fail(`--format must be one of ${FORMATS.join(", ")}`);

const started = performance.now();
const out = values.out && values.out !== "-" ? fs.createWriteStream(values.out) : process.stdout;
let bytes = 0;
/** Write with backpressure, so a slow disk or pipe never makes the output pile up in memory. */
async function write(chunk: string): Promise<void> {
  bytes += Buffer.byteLength(chunk);
  if (!out.write(chunk)) await new Promise<void>((resolve) => out.once("drain", resolve));
}

const products = () => demoProducts(kind, count, seed, { currency });
let variants = 0;
if (format === "csv") {
  // The columns depend on every product (attributes, currencies, axes): a first pass finds them.
  const columns = csvColumns(products());
  await write(`${columns.join(",")}\n`);
  for (const p of products()) {
    variants += p.variants.length;
    await write(`${productCsvLines(p, columns).join("\n")}\n`);
  }
} else {
  if (format === "json") await write("[\n");
  let first = true;
  for (const p of products()) {
    variants += p.variants.length;
    await write(format === "json" ? `${first ? "" : ",\n"}${JSON.stringify(p)}` : `${JSON.stringify(p)}\n`);
    first = false;
  }
  if (format === "json") await write("\n]\n");
}
if (out !== process.stdout) await new Promise<void>((resolve, reject) => (out as fs.WriteStream).end((err?: Error | null) => (err ? reject(err) : resolve())));
if (values.taxonomy) fs.writeFileSync(values.taxonomy, `${JSON.stringify(demoTaxonomy(kind), null, 2)}\n`);

const seconds = (performance.now() - started) / 1000;
process.stderr.write(
  `generate-catalog: ${count} ${kind} products, ${variants} variants, ${(bytes / 1e6).toFixed(1)} MB ${format} in ${seconds.toFixed(2)} s ` +
    `(${Math.round(count / seconds)} products/s, seed ${seed})${values.out && values.out !== "-" ? ` -> ${values.out}` : ""}\n`,
);
