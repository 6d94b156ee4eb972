import { randomFillSync } from "node:crypto";
import { monotonicFactory } from "ulidx";

/** The allow-list of id prefixes (CONVENTIONS.md #15). */
export const ID_PREFIXES = {
  tenant: "ten",
  product: "prod",
  category: "cat",
  brand: "brd",
  variant: "var",
  attribute: "attr",
  import: "imp",
  cart: "cart",
  order: "ord",
  stockAdjustment: "adj",
  payment: "pay", paymentAttempt: "patt", webhook: "whk",
  delivery: "dlv", deliveryAttempt: "datt", mailboxMessage: "mbx", pushSubscription: "psub", campaign: "cmp",
  event: "evt",
  request: "req",
} as const;
export type IdKind = keyof typeof ID_PREFIXES;

/**
 * ulidx's default generator asks the system for one random byte per character (16 calls per id);
 * this one draws from a pooled buffer of cryptographic randomness, refilled 4 KiB at a time.
 */
const pool = new Uint8Array(4096);
let offset = pool.length;
function pooledRandom(): number {
  if (offset >= pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  return pool[offset++]! / 0xff;
}

const next = monotonicFactory(pooledRandom);

/** `bytes` random bytes as hex, from the same pool (trace and span ids: not for secrets, which take their own randomBytes). */
export function randomHex(bytes: number): string {
  if (offset + bytes > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  const hex = Buffer.from(pool.buffer, pool.byteOffset + offset, bytes).toString("hex");
  offset += bytes;
  return hex;
}

/**
 * Prefixed, lowercase, time-sortable id.
 * @example createId("product") // "prod_01jd5m3x4s9t2v8w0y1z2a3b4c"
 */
export function createId(kind: IdKind): string {
  return `${ID_PREFIXES[kind]}_${next().toLowerCase()}`;
}

export type IdGenerator = typeof createId;
