import type { AttributeValue, CreateAttributeBody } from "@bazaar/contracts";
import type { Rng } from "./prng.ts";

export type DemoKind = "apparel" | "electronics";
export const DEMO_KINDS: readonly DemoKind[] = ["apparel", "electronics"];

export interface DemoCategory {
  slug: string;
  name: string;
  /** Slug of the parent; parents are always listed before their children. */
  parent: string | null;
}

export interface DemoBrand {
  slug: string;
  name: string;
}

/** The colour of a demo picture: a hue (0-359), or a grey for black, white and greys (lightness 0-100). */
export type Tone = { hue: number } | { grey: number };

/** How a tone appears in a picture's file name: `210`, or `k12` for a grey. */
export const toneToken = (tone: Tone): string => ("hue" in tone ? String(tone.hue) : `k${tone.grey}`);

/** A colour table entry `[name, SKU code, hue or "k<lightness>"]` as an axis value. */
export const colour = ([value, code, tone]: readonly [string, string, number | string]): AxisValue => ({
  value,
  code,
  tone: typeof tone === "number" ? { hue: tone } : { grey: Number(tone.slice(1)) },
});

/** An option value with its SKU segment; a colour also carries the tone of its pictures. */
export interface AxisValue {
  value: string;
  code: string;
  tone?: Tone;
  /** Added to the base price (major units), e.g. a bigger storage tier. */
  extra?: number;
}

export interface Axis {
  name: string;
  values: AxisValue[];
}

/**
 * One kind of product (rain jacket, earbuds). Its position in `KindSpec.types` is the `<n>` of its
 * demo pictures (`/api/v1/media/demo/<kind>/<n>-<tone>.svg`): append new types, never reorder.
 */
export interface ProductType {
  /** The shape media.ts draws. */
  icon: string;
  noun: string;
  /** SKU segment, e.g. `JKT`. */
  code: string;
  /** Leaf category slug. */
  category: string;
  /** How common this type is in a generated catalog (relative). */
  weight: number;
  /** Product line names: "Stormshell", "Pulse". */
  lines: readonly string[];
  /** Words that may go between the line and the noun ("" for none). */
  modifiers: readonly string[];
  /** Base price range in USD, major units. */
  price: readonly [number, number];
  /** Sentences about what this kind of product does; `{placeholders}` are filled by the kind. */
  features: readonly string[];
}

export interface DescribeContext {
  type: ProductType;
  brand: DemoBrand;
  line: string;
  attributes: Record<string, AttributeValue>;
  colours: string[];
}

/** Everything that makes one kind of demo catalog: taxonomy, vocabulary and the rules that vary. */
export interface KindSpec {
  kind: DemoKind;
  /** First SKU segment, e.g. `ACM`. */
  skuPrefix: string;
  categories: readonly DemoCategory[];
  brands: readonly DemoBrand[];
  attributes: readonly CreateAttributeBody[];
  types: readonly ProductType[];
  /** The option axes of one product; their combinations are its variants (at most 12). */
  axes(rng: Rng, type: ProductType): Axis[];
  /** Values for the kind's attributes; `name` is the product name without the brand. */
  attributeValues(rng: Rng, type: ProductType, name: string): Record<string, AttributeValue>;
  /** The product's name without the brand, and the line it belongs to. */
  name(rng: Rng, type: ProductType): { name: string; line: string };
  /** 2-4 sentences. */
  describe(rng: Rng, ctx: DescribeContext): string;
  /** Told apart the k-th (k >= 1) product that would otherwise share a name: "FW25", "Gen 3". */
  edition(k: number): string;
}

/** Fill `{key}` placeholders; unknown keys are left as they are. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m, key: string) => (key in values ? String(values[key]) : m));
}

/** "a" or "an" for a word (good enough for the demo vocabulary). */
export function article(word: string): string {
  return /^[aeiou]/i.test(word) && !/^(one|uni|eu)/i.test(word) ? "an" : "a";
}

export function list(words: string[]): string {
  if (words.length <= 1) return words.join("");
  return `${words.slice(0, -1).join(", ")} and ${words[words.length - 1]}`;
}
