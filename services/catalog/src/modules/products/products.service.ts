import { CatalogEvents, type CreateProductBody, type Product } from "@bazaar/contracts";
import { AppError } from "@bazaar/service-kit/errors";
import { enqueue } from "@bazaar/service-kit/events";
import { createId } from "@bazaar/service-kit/ids";
import type { Tx } from "@bazaar/service-kit/db";
import { findProduct, insertProduct, listProducts, type ProductRow } from "./products.repo.ts";

export function toProduct(row: ProductRow): Product {
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    description: row.description,
    price: { amount: row.priceAmount, currency: row.currency },
    status: row.status,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function slugify(name: string): string {
  const s = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 100)
    .replace(/-+$/g, "");
  return s || "product";
}

export async function createProduct(tx: Tx, tenantId: string, input: CreateProductBody): Promise<Product> {
  const id = createId("product");
  const slug = input.slug ?? slugify(input.name);
  if (await findProduct(tx, slug)) throw new AppError("conflict", `A product with slug "${slug}" already exists.`);
  const row = await insertProduct(tx, {
    id,
    slug,
    name: input.name,
    description: input.description,
    priceAmount: input.price,
    currency: input.currency,
    status: input.status,
  });
  await enqueue(tx, CatalogEvents.productCreated, {
    tenantId,
    aggregateId: id,
    data: { productId: id, slug, name: row.name, price: row.priceAmount, currency: row.currency },
  });
  return toProduct(row);
}

export async function getProduct(tx: Tx, idOrSlug: string, opts: { includeUnpublished: boolean }): Promise<Product> {
  const row = await findProduct(tx, idOrSlug);
  if (!row || (!opts.includeUnpublished && row.status !== "active")) throw new AppError("not_found", "No such product in this store.");
  return toProduct(row);
}

const CURSOR_RE = /^prod_[0-9a-z]{26}$/;

export async function pageProducts(tx: Tx, opts: { limit: number; cursor?: string; includeUnpublished: boolean }) {
  let after: string | undefined;
  if (opts.cursor) {
    after = Buffer.from(opts.cursor, "base64url").toString("utf8");
    if (!CURSOR_RE.test(after)) throw new AppError("bad_request", "The cursor is not valid.");
  }
  const rows = await listProducts(tx, { limit: opts.limit, ...(after ? { after } : {}), ...(opts.includeUnpublished ? {} : { status: "active" as const }) });
  const more = rows.length > opts.limit;
  const items = rows.slice(0, opts.limit).map(toProduct);
  const last = items.at(-1);
  return { items, nextCursor: more && last ? Buffer.from(last.id).toString("base64url") : null };
}
