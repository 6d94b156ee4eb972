import type { CartMergeResult, CartOp, CartOpsResult, MergeChange, OpResult } from "@bazaar/contracts";
import { AppError } from "@bazaar/service-kit/errors";
import { toStoreOp, type CartCaller, type CartService } from "./carts.service.ts";

const atMs = (at: CartOp["at"]) => (typeof at === "number" ? at : Date.parse(at));

/** Client time order: `at`, then opId (so two devices' batches interleave the same way everywhere). */
export function orderOps(ops: CartOp[]): CartOp[] {
  return ops
    .map((op, i) => ({ op, i, at: atMs(op.at) }))
    .sort((a, b) => a.at - b.at || (a.op.opId < b.op.opId ? -1 : a.op.opId > b.op.opId ? 1 : a.i - b.i))
    .map((x) => x.op);
}

/**
 * Offline operations: applied in client time order, each at most once (its opId is remembered with
 * the cart), capped by stock and the per-line limit rather than refused, all in one atomic step.
 * Results come in the order applied.
 */
export async function applyOps(svc: CartService, caller: CartCaller, id: string, ops: CartOp[]): Promise<CartOpsResult> {
  const owner = svc.owner(caller, id);
  const ordered = orderOps(ops);
  const prices = await svc.deps.prices.get(caller.tenant, ordered.map((o) => o.sku));
  const storeOps = ordered.map((op) => toStoreOp(op.opId, op.kind, op.sku, op.quantity ?? 0, prices.get(op.sku) ?? null));
  const res = await svc.apply(caller.tenant.tenantId, id, owner, "cap", storeOps);
  if (!res.ok) throw new AppError("not_found", "No such cart in this store, or it is not yours.");
  const results = ordered.map((op, i): OpResult => {
    const outcome = res.outcomes[i]!;
    const info = prices.get(op.sku) ?? null;
    const unitPrice = info?.price ?? null;
    return {
      opId: op.opId,
      status: outcome.status,
      quantity: outcome.quantity,
      requested: outcome.requested,
      priceChanged: op.unitPrice !== undefined && unitPrice !== null && op.unitPrice !== unitPrice,
      unitPrice,
      detail: detailOf(outcome.status, info === null, svc.deps.limits.maxLines),
    };
  });
  return { cart: await svc.view(caller.tenant, res.cart), results };
}

function detailOf(status: OpResult["status"], gone: boolean, maxLines: number): string | null {
  switch (status) {
    case "duplicate":
      return "already applied";
    case "capped":
      return "capped by stock or the per-line limit";
    case "product_gone":
      return gone ? "the SKU is no longer in the catalog" : "the product is not for sale";
    case "rejected":
      return `the cart already has ${maxLines} lines`;
    default:
      return null;
  }
}

/**
 * After login: the guest cart `guestId` (its token proves the caller holds it) is merged into the
 * signed-in shopper's active cart and deleted, in one atomic step. Quantities of the same SKU are
 * summed and capped by stock and the per-line limit; prices are today's. Retries when the guest
 * cart changed between reading it and merging.
 */
export async function mergeCarts(svc: CartService, caller: CartCaller, guestId: string): Promise<CartMergeResult> {
  const identity = caller.identity;
  if (!identity) throw new AppError("unauthorized", "Sign in to merge a cart into yours.");
  const t = caller.tenant.tenantId;
  if (!svc.deps.tokens.verify(t, guestId, caller.token)) throw new AppError("not_found", "No such cart in this store, or it is not yours.");
  const { store, prices, limits } = svc.deps;
  for (let attempt = 0; attempt < 5; attempt++) {
    const target = await store.shopperCart(t, identity.sub, svc.now());
    if (target.id === guestId) throw new AppError("conflict", "This is already your cart.");
    const guest = await store.read(t, guestId, "*");
    if (!guest || guest.owner !== "") throw new AppError("not_found", "No such cart in this store, or it is not yours.");
    const info = await prices.get(caller.tenant, guest.lines.map((l) => l.sku));
    const skus = guest.lines.map((l) => {
      const i = info.get(l.sku) ?? null;
      return { sku: l.sku, stock: i?.stock ?? 0, price: i?.price ?? null, purchasable: i !== null && i.status === "active" };
    });
    const res = await store.merge(t, guestId, guest.version, { id: target.id, subject: identity.sub }, skus, limits, svc.now());
    if (!res.ok && res.code === "retry") continue;
    if (!res.ok) throw new AppError("not_found", "No such cart in this store, or it is not yours.");
    const changes = res.outcomes.map((o): MergeChange => {
      const unitPrice = info.get(o.sku)?.price ?? null;
      return {
        sku: o.sku,
        status: o.status,
        guestQuantity: o.guestQuantity,
        previousQuantity: o.previousQuantity,
        quantity: o.quantity,
        unitPrice,
        previousUnitPrice: o.guestPrice !== null && o.guestPrice !== unitPrice ? o.guestPrice : null,
      };
    });
    return { cart: await svc.view(caller.tenant, res.cart), changes, guestCartId: guestId };
  }
  throw new AppError("conflict", "The guest cart kept changing; try again.");
}
