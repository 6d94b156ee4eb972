import type { CreateAttributeBody, ImportProduct, ProductImage, VariantBody } from "@bazaar/contracts";
import { apparel } from "./apparel.ts";
import { electronics } from "./electronics.ts";
import { mixSeed, Rng } from "./prng.ts";
import { toneToken, type Axis, type AxisValue, type DemoBrand, type DemoCategory, type DemoKind, type KindSpec, type ProductType, type Tone } from "./spec.ts";

export type { DemoBrand, DemoCategory, DemoKind } from "./spec.ts";
export { DEMO_KINDS } from "./spec.ts";

/** Demo data is plain data: only types come from the contracts, so scripts can import this file. */
export const SPECS: Readonly<Record<DemoKind, KindSpec>> = { apparel, electronics };
export const DEFAULT_SEED = 20_251_104;
export const MAX_VARIANTS = 12;

export interface DemoCatalog {
  /** A tree 2-3 levels deep; parents come before their children. */
  categories: DemoCategory[];
  brands: DemoBrand[];
  attributes: CreateAttributeBody[];
  products: ImportProduct[];
}

export interface GenerateOptions {
  /** The products' own currency (default USD); the other of USD/EUR goes into each variant's `prices`. */
  currency?: "USD" | "EUR";
}

/** Path of a demo picture: `<n>` is the product type's position in its kind, then its tone (`210`, `k12`). */
export const demoImageUrl = (kind: DemoKind, n: number, tone: Tone) => `/api/v1/media/demo/${kind}/${n}-${toneToken(tone)}.svg`;

/** Categories, brands and attribute definitions of a kind (fresh copies). */
export function demoTaxonomy(kind: DemoKind): Omit<DemoCatalog, "products"> {
  const spec = SPECS[kind];
  return {
    categories: spec.categories.map((c) => ({ ...c })),
    brands: spec.brands.map((b) => ({ ...b })),
    attributes: spec.attributes.map((a) => ({ ...a, values: [...a.values] })),
  };
}

/**
 * A whole demo catalog in memory: fine for the demo stores' few hundred products; for benchmark
 * sizes iterate `demoProducts` instead.
 * @example generateCatalog("apparel", 300).products[0]?.name // "Driftwood Supply Co. Polar Parka"
 */
export function generateCatalog(kind: DemoKind, count: number, seed = DEFAULT_SEED, opts: GenerateOptions = {}): DemoCatalog {
  return { ...demoTaxonomy(kind), products: [...demoProducts(kind, count, seed, opts)] };
}

/**
 * Products one at a time, so 100,000 of them never sit in memory together (only their slugs do,
 * to keep names unique). The same kind, count prefix and seed always give the same products.
 */
export function* demoProducts(kind: DemoKind, count: number, seed = DEFAULT_SEED, opts: GenerateOptions = {}): Generator<ImportProduct> {
  if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`count must be a non-negative integer, got ${count}`);
  const spec = SPECS[kind];
  const rng = new Rng(mixSeed(seed, kind === "apparel" ? 1 : 2));
  const slugs = new Set<string>();
  for (let i = 1; i <= count; i++) yield product(spec, rng, i, slugs, opts.currency ?? "USD");
}

function product(spec: KindSpec, rng: Rng, n: number, slugs: Set<string>, currency: "USD" | "EUR"): ImportProduct {
  const type = rng.weighted(spec.types, (t) => t.weight);
  const brand = rng.pick(spec.brands);
  const { name: bare, line } = spec.name(rng, type);
  const { name, slug } = uniqueName(spec, `${brand.name} ${bare}`, slugs);
  const attributes = spec.attributeValues(rng, type, bare);
  const axes = spec.axes(rng, type);
  const colours = axes.find((a) => a.name === "colour")?.values ?? [];
  const base = rng.int(type.price[0], type.price[1]);
  const endsIn99 = rng.chance(0.6);
  const other = currency === "USD" ? "EUR" : "USD";
  const prefix = `${spec.skuPrefix}-${type.code}-${String(n).padStart(4, "0")}`;
  const variants: VariantBody[] = combinations(axes).map((combo) => {
    const usd = base + combo.reduce((s, v) => s + (v.extra ?? 0), 0);
    const prices = { USD: price(usd, endsIn99), EUR: price(Math.round(usd * 0.92), endsIn99) };
    return {
      sku: [prefix, ...combo.map((v) => v.code)].join("-"),
      options: Object.fromEntries(combo.map((v, i) => [axes[i]!.name, v.value])),
      price: prices[currency],
      prices: { [other]: prices[other] },
      stock: rng.chance(0.12) ? 0 : rng.int(1, 60),
    };
  });
  return {
    name,
    slug,
    description: spec.describe(rng, { type, brand, line, attributes, colours: colours.map((c) => c.value) }),
    status: rng.chance(0.05) ? "draft" : "active",
    currency,
    brand: brand.slug,
    categories: [type.category],
    attributes,
    images: images(spec, rng, type, name, colours),
    options: axes.map((a) => ({ name: a.name, values: a.values.map((v) => v.value) })),
    variants,
  };
}

/** `Brand Line Noun`, or with an edition ("FW25", "Gen 3") when that name is taken already. */
function uniqueName(spec: KindSpec, base: string, slugs: Set<string>): { name: string; slug: string } {
  for (let k = 0; ; k++) {
    const name = k === 0 ? base : `${base} ${spec.edition(k)}`;
    const slug = slugify(name);
    if (!slugs.has(slug)) {
      slugs.add(slug);
      return { name, slug };
    }
  }
}

function images(spec: KindSpec, rng: Rng, type: ProductType, name: string, colours: AxisValue[]): ProductImage[] {
  const n = spec.types.indexOf(type);
  const shown = colours.filter((c) => c.tone !== undefined).slice(0, 3);
  if (shown.length) return shown.map((c) => ({ url: demoImageUrl(spec.kind, n, c.tone!), alt: `${name} in ${c.value}` }));
  const hue = rng.int(0, 359);
  const two = rng.chance(0.5);
  return [
    { url: demoImageUrl(spec.kind, n, { hue }), alt: name },
    ...(two ? [{ url: demoImageUrl(spec.kind, n, { hue: (hue + 180) % 360 }), alt: `${name}, another view` }] : []),
  ];
}

/** Every combination of the axes' values, first axis slowest; one empty combination without axes. */
function combinations(axes: Axis[]): AxisValue[][] {
  const all = axes.reduce<AxisValue[][]>((acc, axis) => acc.flatMap((combo) => axis.values.map((v) => [...combo, v])), [[]]);
  return all.slice(0, MAX_VARIANTS);
}

/** A shop price in minor units: 30 -> 2999 or 3000; above 100 on steps of 5, above 1000 of 10. */
function price(major: number, endsIn99: boolean): number {
  const step = major >= 1000 ? 10 : major >= 100 ? 5 : 1;
  const nice = Math.max(step, Math.round(major / step) * step);
  return endsIn99 ? nice * 100 - 1 : nice * 100;
}

function slugify(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}
