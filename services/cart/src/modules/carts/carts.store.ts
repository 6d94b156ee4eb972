import { createHash, randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import { AppError } from "@bazaar/service-kit/errors";
import { createId } from "@bazaar/service-kit/ids";
import { CREATE_GUEST, MERGE, MUTATE, READ, SHOPPER_CART, TRIM_EVENTS } from "./carts.lua.ts";

/** What the cart needs of an ioredis client (the real one, or the in-process emulation). */
export type CartRedis = Pick<Redis, "eval" | "evalsha" | "get" | "lrange">;

interface Script {
  lua: string;
  sha: string;
  /** EVAL has sent it (which puts it in Redis's script cache). */
  sent: boolean;
}
const script = (lua: string): Script => ({ lua, sha: createHash("sha1").update(lua).digest("hex"), sent: false });

/**
 * Key layout. Every key of a store carries `{<tenantId>}`, a Redis Cluster hash tag: one store's
 * keys share a slot, so a script may touch several of them.
 *   <prefix>:{<tenant>}:<cartId>          the cart hash (see carts.lua.ts)
 *   <prefix>:{<tenant>}:<cartId>:ops      opIds of offline operations already applied (same expiry)
 *   <prefix>:{<tenant>}:owner:<subject>   the shopper's active cart id
 *   <prefix>:{<tenant>}:events|evseq|evepoch  behaviour events staged for the outbox
 */
export class CartKeys {
  constructor(readonly prefix = "cart") {}
  base = (tenantId: string) => `${this.prefix}:{${tenantId}}:`;
  cart = (tenantId: string, id: string) => `${this.base(tenantId)}${id}`;
  ops = (tenantId: string, id: string) => `${this.base(tenantId)}${id}:ops`;
  owner = (tenantId: string, subject: string) => `${this.base(tenantId)}owner:${subject}`;
  events = (tenantId: string) => `${this.base(tenantId)}events`;
  seq = (tenantId: string) => `${this.base(tenantId)}evseq`;
  epoch = (tenantId: string) => `${this.base(tenantId)}evepoch`;
}

export interface StoredLine {
  sku: string;
  quantity: number;
  /** Unit price when the line last changed (null if unknown then). */
  seenPrice: number | null;
  order: number;
}

export interface StoredCart {
  id: string;
  version: number;
  /** Account subject of the owner, "" for a guest cart (stored as `_o` = `g` / `u:<subject>`). */
  owner: string;
  createdAt: number;
  updatedAt: number;
  lines: StoredLine[];
}

/** A cart hash as HGETALL returns it (flat field, value list) -> lines in the order they were added. */
export function parseCart(id: string, flat: string[]): StoredCart {
  const fields = new Map<string, string>();
  for (let i = 0; i + 1 < flat.length; i += 2) fields.set(flat[i]!, flat[i + 1]!);
  const lines: StoredLine[] = [];
  for (const [field, value] of fields) {
    if (!field.startsWith("q:")) continue;
    const sku = field.slice(2);
    const seen = fields.get(`p:${sku}`);
    lines.push({ sku, quantity: Number(value), seenPrice: seen !== undefined ? Number(seen) : null, order: Number(fields.get(`o:${sku}`) ?? 0) });
  }
  lines.sort((a, b) => a.order - b.order || (a.sku < b.sku ? -1 : 1));
  return {
    id,
    version: Number(fields.get("_v") ?? 0),
    owner: (fields.get("_o") ?? "g").replace(/^(g$|u:)/, ""),
    createdAt: Number(fields.get("_c") ?? 0),
    updatedAt: Number(fields.get("_u") ?? 0),
    lines,
  };
}

export type Mode = "strict" | "cap";

export interface StoreOp {
  opId: string;
  kind: "add" | "set" | "remove";
  sku: string;
  quantity: number;
  stock: number;
  price: number | null;
  productId: string | null;
  purchasable: boolean;
}

export interface OpOutcome {
  status: "applied" | "duplicate" | "capped" | "product_gone" | "rejected";
  quantity: number;
  requested: number | null;
}

export type ScriptError = { ok: false; code: string; detail: string };
export type Mutated = { ok: true; version: number; outcomes: OpOutcome[]; cart: StoredCart };

export interface MergeSku {
  sku: string;
  stock: number;
  price: number | null;
  purchasable: boolean;
}
export interface MergeOutcome {
  sku: string;
  status: "added" | "summed" | "capped" | "product_gone" | "rejected";
  guestQuantity: number;
  previousQuantity: number;
  quantity: number;
  guestPrice: number | null;
}
export type Merged = { ok: true; version: number; outcomes: MergeOutcome[]; cart: StoredCart };

/** "*" = the caller holds the cart token; otherwise `u:<account subject>`, who must own the cart. */
export type Owner = "*" | `u:${string}`;

export const ownerOf = (subject: string): Owner => `u:${subject}`;
const NONE = "~";

/** Redis access for carts: every change is one atomic script (see carts.lua.ts). */
export class CartStore {
  /** A fresh random epoch per process: only used when the store's event counter starts anew. */
  private readonly epoch = randomBytes(8).toString("hex");
  private readonly scripts = {
    createGuest: script(CREATE_GUEST),
    shopperCart: script(SHOPPER_CART),
    read: script(READ),
    mutate: script(MUTATE),
    merge: script(MERGE),
    trim: script(TRIM_EVENTS),
  };
  /** False once the client proved to have no script cache (the in-process emulation). */
  private evalsha = true;

  constructor(
    private readonly redis: CartRedis,
    readonly keys: CartKeys,
    private readonly ttlMs: number,
  ) {}

  async createGuest(tenantId: string, now: number): Promise<string> {
    const id = createId("cart");
    await this.eval(this.scripts.createGuest, 1, this.keys.cart(tenantId, id), now, this.ttlMs);
    return id;
  }

  /** The shopper's active cart, created when there is none. */
  async shopperCart(tenantId: string, subject: string, now: number): Promise<{ id: string; created: boolean }> {
    const candidate = createId("cart");
    const [id, created] = (await this.eval(
      this.scripts.shopperCart,
      2,
      this.keys.owner(tenantId, subject),
      this.keys.cart(tenantId, candidate),
      this.keys.base(tenantId),
      candidate,
      ownerOf(subject),
      now,
      this.ttlMs,
    )) as [string, string];
    return { id, created: created === "1" };
  }

  async read(tenantId: string, id: string, owner: Owner): Promise<StoredCart | undefined> {
    const flat = (await this.eval(this.scripts.read, 3, this.keys.cart(tenantId, id), this.keys.ops(tenantId, id), this.ownerKey(tenantId, id, owner), owner, this.ttlMs)) as string[];
    return flat.length ? parseCart(id, flat) : undefined;
  }

  async mutate(tenantId: string, id: string, owner: Owner, mode: Mode, ops: StoreOp[], limits: { maxLines: number; maxQuantity: number }, now: number): Promise<Mutated | ScriptError> {
    const args: (string | number)[] = [owner, this.ttlMs, now, mode, limits.maxLines, limits.maxQuantity, this.epoch, id, ops.length];
    for (const op of ops) args.push(op.opId || NONE, op.kind, op.sku, op.quantity, op.stock, op.price ?? NONE, op.productId ?? NONE, op.purchasable ? "1" : "0");
    const res = (await this.eval(
      this.scripts.mutate,
      6,
      this.keys.cart(tenantId, id),
      this.keys.ops(tenantId, id),
      this.keys.events(tenantId),
      this.keys.seq(tenantId),
      this.keys.epoch(tenantId),
      this.ownerKey(tenantId, id, owner),
      ...args,
    )) as (string | number)[];
    if (res[0] !== "OK") return { ok: false, code: String(res[1]), detail: String(res[2] ?? "") };
    const n = Number(res[2]);
    const outcomes: OpOutcome[] = [];
    for (let i = 0; i < n; i++) {
      const requested = Number(res[5 + i * 3]);
      outcomes.push({ status: String(res[3 + i * 3]) as OpOutcome["status"], quantity: Number(res[4 + i * 3]), requested: requested >= 0 ? requested : null });
    }
    return { ok: true, version: Number(res[1]), outcomes, cart: parseCart(id, res.slice(3 + n * 3).map(String)) };
  }

  async merge(tenantId: string, guestId: string, guestVersion: number, target: { id: string; subject: string }, skus: MergeSku[], limits: { maxLines: number; maxQuantity: number }, now: number): Promise<Merged | ScriptError> {
    const args: (string | number)[] = [guestVersion, ownerOf(target.subject), this.ttlMs, now, limits.maxLines, limits.maxQuantity, skus.length];
    for (const s of skus) args.push(s.sku, s.stock, s.price ?? NONE, s.purchasable ? "1" : "0");
    const res = (await this.eval(
      this.scripts.merge,
      5,
      this.keys.cart(tenantId, guestId),
      this.keys.ops(tenantId, guestId),
      this.keys.cart(tenantId, target.id),
      this.keys.ops(tenantId, target.id),
      this.keys.owner(tenantId, target.subject),
      ...args,
    )) as (string | number)[];
    if (res[0] !== "OK") return { ok: false, code: String(res[1]), detail: String(res[2] ?? "") };
    const n = Number(res[2]);
    const outcomes: MergeOutcome[] = [];
    for (let i = 0; i < n; i++) {
      const b = 3 + i * 5;
      const guestPrice = String(res[b + 4]);
      outcomes.push({
        sku: skus[i]!.sku,
        status: String(res[b]) as MergeOutcome["status"],
        guestQuantity: Number(res[b + 1]),
        previousQuantity: Number(res[b + 2]),
        quantity: Number(res[b + 3]),
        guestPrice: guestPrice && guestPrice !== NONE ? Number(guestPrice) : null,
      });
    }
    return { ok: true, version: Number(res[1]), outcomes, cart: parseCart(target.id, res.slice(3 + n * 5).map(String)) };
  }

  /** Up to `max` staged behaviour events of a store, oldest first, with the counter's epoch. */
  async stagedEvents(tenantId: string, max: number): Promise<{ epoch: string | null; lines: string[] }> {
    const [epoch, lines] = await Promise.all([this.redis.get(this.keys.epoch(tenantId)), this.redis.lrange(this.keys.events(tenantId), 0, max - 1)]);
    return { epoch, lines };
  }

  /** Drop staged events up to sequence `seq` (they are in the outbox). */
  async trimEvents(tenantId: string, seq: number): Promise<number> {
    return Number(await this.eval(this.scripts.trim, 1, this.keys.events(tenantId), seq));
  }

  /**
   * Run a script: EVALSHA (40 bytes on the wire instead of the script's few kB, which the add-to-cart
   * bench measured as the largest single cost), EVAL when Redis does not have it cached yet (EVAL
   * caches it), and EVAL only once the client shows it has no script cache (ioredis-mock answers
   * every EVALSHA with NOSCRIPT). Redis being unreachable is a 503 (a script error stays a 500).
   */
  private async eval(s: Script, numKeys: number, ...args: (string | number)[]): Promise<unknown> {
    try {
      if (this.evalsha) {
        try {
          return await this.redis.evalsha(s.sha, numKeys, ...args);
        } catch (err) {
          if (!/NOSCRIPT/.test((err as Error).message)) throw err;
          if (s.sent) this.evalsha = false;
          s.sent = true;
        }
      }
      return await this.redis.eval(s.lua, numKeys, ...args);
    } catch (err) {
      if ((err as Error).name === "ReplyError" || /lua/i.test((err as Error).message)) throw err;
      throw Object.assign(new AppError("unavailable", "Carts are unavailable right now; try again shortly."), { cause: err });
    }
  }

  /** The owner pointer whose expiry slides with the cart: the caller's own, when it is a shopper. */
  private ownerKey(tenantId: string, id: string, owner: Owner): string {
    return owner === "*" ? `${this.keys.cart(tenantId, id)}:nop` : this.keys.owner(tenantId, owner.slice(2));
  }
}
