import type { Cart, IdentityContext, PricedSku } from "@bazaar/contracts";
import { AppError } from "@bazaar/service-kit/errors";
import type { TenantContext } from "@bazaar/service-kit/tenancy";
import type { PriceCache } from "./carts.pricing.ts";
import { ownerOf, type CartStore, type Mode, type Mutated, type Owner, type ScriptError, type StoreOp, type StoredCart } from "./carts.store.ts";
import type { CartTokens } from "./carts.token.ts";
import { priceCart } from "./carts.view.ts";

export interface CartLimits {
  maxLines: number;
  maxQuantity: number;
}

export interface CartServiceDeps {
  store: CartStore;
  prices: PriceCache;
  tokens: CartTokens;
  limits: CartLimits;
  ttlMs: number;
  clock: () => Date;
  /** Called after a change staged behaviour events for a store (the outbox drain picks them up). */
  onEvents?: (tenantId: string) => void;
}

/** Who is asking about a cart: the store, the signed-in caller if any, the cart token if sent. */
export interface CartCaller {
  tenant: TenantContext;
  identity: IdentityContext | undefined;
  token: string | undefined;
}

const NOT_FOUND = () => new AppError("not_found", "No such cart in this store, or it is not yours.");

/** Cart use cases over the Redis store and the catalog's prices. */
export class CartService {
  constructor(readonly deps: CartServiceDeps) {}

  now(): number {
    return this.deps.clock().getTime();
  }

  /**
   * Who may touch cart `id`: a valid token gives the guest cart ("*"); otherwise the signed-in
   * shopper, whose subject the stored owner must equal. Neither: the same 404 as a missing cart.
   */
  owner(caller: CartCaller, id: string): Owner {
    if (this.deps.tokens.verify(caller.tenant.tenantId, id, caller.token)) return "*";
    if (caller.identity) return ownerOf(caller.identity.sub);
    throw NOT_FOUND();
  }

  /** A new guest cart, or the shopper's one active cart (created when there is none). */
  async create(caller: CartCaller): Promise<{ id: string; token: string | null; created: boolean }> {
    const t = caller.tenant.tenantId;
    if (caller.identity) {
      const { id, created } = await this.deps.store.shopperCart(t, caller.identity.sub, this.now());
      return { id, token: null, created };
    }
    const id = await this.deps.store.createGuest(t, this.now());
    return { id, token: this.deps.tokens.issue(t, id), created: true };
  }

  async view(tenant: TenantContext, cart: StoredCart): Promise<Cart> {
    const prices = await this.deps.prices.get(tenant, cart.lines.map((l) => l.sku));
    return priceCart(cart, prices, this.now() + this.deps.ttlMs);
  }

  async get(caller: CartCaller, id: string): Promise<Cart> {
    const cart = await this.deps.store.read(caller.tenant.tenantId, id, this.owner(caller, id));
    if (!cart) throw NOT_FOUND();
    return this.view(caller.tenant, cart);
  }

  /** POST items (add), PATCH items/{sku} (set), DELETE items/{sku} (remove): one op, strict limits. */
  async change(caller: CartCaller, id: string, kind: StoreOp["kind"], sku: string, quantity: number): Promise<Cart> {
    const owner = this.owner(caller, id);
    const info = (await this.deps.prices.get(caller.tenant, [sku])).get(sku) ?? null;
    if (kind === "add" && !info) throw new AppError("validation_failed", `There is no SKU ${sku} in this store.`, [{ path: "sku", message: "unknown SKU" }]);
    const res = await this.apply(caller.tenant.tenantId, id, owner, "strict", [toStoreOp("", kind, sku, quantity, info)]);
    if (!res.ok) throw strictError(res, sku, this.deps.limits);
    return this.view(caller.tenant, res.cart);
  }

  async apply(tenantId: string, id: string, owner: Owner, mode: Mode, ops: StoreOp[]): Promise<Mutated | ScriptError> {
    const res = await this.deps.store.mutate(tenantId, id, owner, mode, ops, this.deps.limits, this.now());
    if (res.ok && res.outcomes.some((o) => o.status === "applied" || o.status === "capped")) this.deps.onEvents?.(tenantId);
    return res;
  }
}

export function toStoreOp(opId: string, kind: StoreOp["kind"], sku: string, quantity: number, info: PricedSku | null): StoreOp {
  return {
    opId,
    kind,
    sku,
    quantity,
    stock: info?.stock ?? 0,
    price: info?.price ?? null,
    productId: info?.productId ?? null,
    // For sale at all; stock is checked (strict) or capped against in the script.
    purchasable: info !== null && info.status === "active",
  };
}

/** A refused strict change as a problem naming the field; the cart was not touched. */
function strictError(res: ScriptError, sku: string, limits: CartLimits): AppError {
  switch (res.code) {
    case "not_found":
      return NOT_FOUND();
    case "no_line":
      return new AppError("not_found", `The cart has no line for SKU ${sku}.`);
    case "lines":
      return new AppError("validation_failed", `A cart holds at most ${limits.maxLines} lines.`, [{ path: "sku", message: `the cart already has ${limits.maxLines} lines` }]);
    case "quantity":
      return new AppError("validation_failed", `At most ${limits.maxQuantity} units per line.`, [
        { path: "quantity", message: `at most ${limits.maxQuantity} per line; ${Math.max(0, Number(res.detail))} more can be added` },
      ]);
    case "stock":
      return new AppError("validation_failed", `Only ${res.detail} of ${sku} in stock.`, [{ path: "quantity", message: `only ${res.detail} in stock` }]);
    case "unavailable":
      return new AppError("validation_failed", `${sku} is not for sale.`, [{ path: "sku", message: "the product is not for sale (draft or archived)" }]);
    default:
      return new AppError("internal", "The cart could not be changed.");
  }
}
