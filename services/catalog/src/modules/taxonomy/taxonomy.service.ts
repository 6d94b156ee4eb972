import { asc, eq } from "drizzle-orm";
import { TaxonomyEvents, type Brand, type CategoryNode, type CreateBrandBody, type CreateCategoryBody } from "@bazaar/contracts";
import type { Tx } from "@bazaar/service-kit/db";
import { AppError } from "@bazaar/service-kit/errors";
import { enqueue } from "@bazaar/service-kit/events";
import { createId } from "@bazaar/service-kit/ids";
import { brands, categories } from "../../db/schema/index.ts";
import { slugify } from "../products/products.service.ts";

type CategoryRow = typeof categories.$inferSelect;

/** The store's categories as a tree, siblings by position then name. */
export async function categoryTree(tx: Tx): Promise<CategoryNode[]> {
  const rows = await tx.select().from(categories).orderBy(asc(categories.position), asc(categories.name));
  const nodes = new Map<string, CategoryNode>(
    rows.map((r: CategoryRow) => [r.id, { id: r.id, slug: r.slug, name: r.name, parentId: r.parentId, position: r.position, children: [] }]),
  );
  const roots: CategoryNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentId ? nodes.get(node.parentId) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}

export async function createCategory(tx: Tx, tenantId: string, input: CreateCategoryBody): Promise<CategoryNode> {
  const slug = input.slug ?? slugify(input.name);
  if (input.parentId) {
    const [parent] = await tx.select({ id: categories.id }).from(categories).where(eq(categories.id, input.parentId)).limit(1);
    if (!parent) throw new AppError("validation_failed", "The parent category does not exist in this store.", [{ path: "parentId", message: "unknown category" }]);
  }
  const [taken] = await tx.select({ id: categories.id }).from(categories).where(eq(categories.slug, slug)).limit(1);
  if (taken) throw new AppError("conflict", `A category with slug "${slug}" already exists.`);
  const id = createId("category");
  await tx.insert(categories).values({ id, slug, name: input.name, parentId: input.parentId, position: input.position });
  await enqueue(tx, TaxonomyEvents.categoryCreated, { tenantId, aggregateId: id, data: { categoryId: id, slug, parentId: input.parentId } });
  return { id, slug, name: input.name, parentId: input.parentId, position: input.position, children: [] };
}

export async function listBrands(tx: Tx): Promise<Brand[]> {
  return tx.select({ id: brands.id, slug: brands.slug, name: brands.name }).from(brands).orderBy(asc(brands.name));
}

export async function createBrand(tx: Tx, tenantId: string, input: CreateBrandBody): Promise<Brand> {
  const slug = input.slug ?? slugify(input.name);
  const [taken] = await tx.select({ id: brands.id }).from(brands).where(eq(brands.slug, slug)).limit(1);
  if (taken) throw new AppError("conflict", `A brand with slug "${slug}" already exists.`);
  const id = createId("brand");
  await tx.insert(brands).values({ id, slug, name: input.name });
  await enqueue(tx, TaxonomyEvents.brandCreated, { tenantId, aggregateId: id, data: { brandId: id, slug } });
  return { id, slug, name: input.name };
}
