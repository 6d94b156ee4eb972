import { asc, eq, sql } from "drizzle-orm";
import {
  TaxonomyEvents,
  type Attribute,
  type Brand,
  type CategoryNode,
  type CreateAttributeBody,
  type CreateBrandBody,
  type CreateCategoryBody,
  type UpdateBrandBody,
  type UpdateCategoryBody,
} from "@bazaar/contracts";
import type { Tx } from "@bazaar/service-kit/db";
import { AppError } from "@bazaar/service-kit/errors";
import { enqueue } from "@bazaar/service-kit/events";
import { createId } from "@bazaar/service-kit/ids";
import { attributes, brands, categories, productCategories, products } from "../../db/schema/index.ts";
import { addSearchWords, productIdsForBrand, productIdsForCategory, refreshSearch } from "../products/products.repo.ts";
import { attributeProblem, slugify } from "../products/products.service.ts";

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
  await addSearchWords(tx, [input.name]);
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
  await addSearchWords(tx, [input.name]);
  await enqueue(tx, TaxonomyEvents.brandCreated, { tenantId, aggregateId: id, data: { brandId: id, slug } });
  return { id, slug, name: input.name };
}

async function mustFindCategory(tx: Tx, idOrSlug: string): Promise<CategoryRow> {
  const [row] = await tx.select().from(categories).where(sql`${categories.id} = ${idOrSlug} or ${categories.slug} = ${idOrSlug}`).limit(1);
  if (!row) throw new AppError("not_found", "No such category in this store.");
  return row;
}

/** Rename, re-slug, reorder or move a category; a move under itself or a descendant is refused. */
export async function updateCategory(tx: Tx, tenantId: string, idOrSlug: string, input: UpdateCategoryBody): Promise<CategoryNode> {
  const row = await mustFindCategory(tx, idOrSlug);
  if (input.parentId) {
    const chain = await tx.execute<{ id: string }>(sql`
      with recursive up as (select id, parent_id from categories where id = ${input.parentId}
        union all select c.id, c.parent_id from categories c join up on c.id = up.parent_id)
      select id from up`);
    const ids = [...chain].map((r) => r.id);
    if (ids.length === 0) throw new AppError("validation_failed", "The parent category does not exist in this store.", [{ path: "parentId", message: "unknown category" }]);
    if (ids.includes(row.id)) throw new AppError("validation_failed", "A category cannot move under itself or its own descendant.", [{ path: "parentId", message: "would make a cycle" }]);
  }
  if (input.slug && input.slug !== row.slug) {
    const [taken] = await tx.select({ id: categories.id }).from(categories).where(eq(categories.slug, input.slug)).limit(1);
    if (taken) throw new AppError("conflict", `A category with slug "${input.slug}" already exists.`, [{ path: "slug", message: "taken" }]);
  }
  const [updated] = await tx.update(categories).set(input).where(eq(categories.id, row.id)).returning();
  if (input.name && input.name !== row.name) {
    await refreshSearch(tx, await productIdsForCategory(tx, row.id));
    await addSearchWords(tx, [input.name]);
  }
  await enqueue(tx, TaxonomyEvents.categoryChanged, { tenantId, aggregateId: row.id, data: { categoryId: row.id, change: "updated" } });
  return { id: updated!.id, slug: updated!.slug, name: updated!.name, parentId: updated!.parentId, position: updated!.position, children: [] };
}

/** Delete a leaf category; its products stay (they just leave it). */
export async function deleteCategory(tx: Tx, tenantId: string, idOrSlug: string): Promise<void> {
  const row = await mustFindCategory(tx, idOrSlug);
  const [child] = await tx.select({ id: categories.id }).from(categories).where(eq(categories.parentId, row.id)).limit(1);
  if (child) throw new AppError("conflict", "The category has subcategories; move or delete them first.");
  const affected = await productIdsForCategory(tx, row.id);
  await tx.delete(productCategories).where(eq(productCategories.categoryId, row.id));
  await tx.delete(categories).where(eq(categories.id, row.id));
  await refreshSearch(tx, affected);
  await enqueue(tx, TaxonomyEvents.categoryChanged, { tenantId, aggregateId: row.id, data: { categoryId: row.id, change: "deleted" } });
}

async function mustFindBrand(tx: Tx, idOrSlug: string) {
  const [row] = await tx.select().from(brands).where(sql`${brands.id} = ${idOrSlug} or ${brands.slug} = ${idOrSlug}`).limit(1);
  if (!row) throw new AppError("not_found", "No such brand in this store.");
  return row;
}

export async function updateBrand(tx: Tx, tenantId: string, idOrSlug: string, input: UpdateBrandBody): Promise<Brand> {
  const row = await mustFindBrand(tx, idOrSlug);
  if (input.slug && input.slug !== row.slug) {
    const [taken] = await tx.select({ id: brands.id }).from(brands).where(eq(brands.slug, input.slug)).limit(1);
    if (taken) throw new AppError("conflict", `A brand with slug "${input.slug}" already exists.`, [{ path: "slug", message: "taken" }]);
  }
  const [updated] = await tx.update(brands).set(input).where(eq(brands.id, row.id)).returning();
  if (input.name && input.name !== row.name) {
    await refreshSearch(tx, await productIdsForBrand(tx, row.id));
    await addSearchWords(tx, [input.name]);
  }
  await enqueue(tx, TaxonomyEvents.brandChanged, { tenantId, aggregateId: row.id, data: { brandId: row.id, change: "updated" } });
  return { id: updated!.id, slug: updated!.slug, name: updated!.name };
}

/** Delete a brand; its products keep existing without one. */
export async function deleteBrand(tx: Tx, tenantId: string, idOrSlug: string): Promise<void> {
  const row = await mustFindBrand(tx, idOrSlug);
  const affected = await productIdsForBrand(tx, row.id);
  await tx.update(products).set({ brandId: null }).where(eq(products.brandId, row.id));
  await tx.delete(brands).where(eq(brands.id, row.id));
  await refreshSearch(tx, affected);
  await enqueue(tx, TaxonomyEvents.brandChanged, { tenantId, aggregateId: row.id, data: { brandId: row.id, change: "deleted" } });
}

type AttributeRow = typeof attributes.$inferSelect;
const toAttribute = (r: AttributeRow): Attribute => ({ id: r.id, code: r.code, name: r.name, type: r.type, values: r.values, filterable: r.filterable });

export async function listAttributes(tx: Tx): Promise<Attribute[]> {
  return (await tx.select().from(attributes).orderBy(asc(attributes.code))).map(toAttribute);
}

export async function createAttribute(tx: Tx, tenantId: string, input: CreateAttributeBody): Promise<Attribute> {
  if (input.type === "select" && input.values.length === 0) {
    throw new AppError("validation_failed", "A select attribute needs its values.", [{ path: "values", message: "give at least one value" }]);
  }
  if (input.type !== "select" && input.values.length > 0) {
    throw new AppError("validation_failed", "Only select attributes list values.", [{ path: "values", message: "must be empty unless type is select" }]);
  }
  if (new Set(input.values).size !== input.values.length) throw new AppError("validation_failed", "Values must be unique.", [{ path: "values", message: "duplicate value" }]);
  const [taken] = await tx.select({ id: attributes.id }).from(attributes).where(eq(attributes.code, input.code)).limit(1);
  if (taken) throw new AppError("conflict", `An attribute with code "${input.code}" already exists.`, [{ path: "code", message: "taken" }]);
  const id = createId("attribute");
  const [row] = await tx.insert(attributes).values({ id, ...input }).returning();
  await enqueue(tx, TaxonomyEvents.attributeChanged, { tenantId, aggregateId: id, data: { attributeId: id, code: input.code, change: "created" } });
  return toAttribute(row!);
}

/** Rename, toggle filtering or extend a select's values; values in use cannot be removed. */
export async function updateAttribute(tx: Tx, tenantId: string, code: string, input: { name?: string; values?: string[]; filterable?: boolean }): Promise<Attribute> {
  const [row] = await tx.select().from(attributes).where(eq(attributes.code, code)).limit(1);
  if (!row) throw new AppError("not_found", "No such attribute in this store.");
  if (input.values) {
    if (row.type !== "select") throw new AppError("validation_failed", "Only select attributes list values.", [{ path: "values", message: "not a select attribute" }]);
    if (input.values.length === 0 || new Set(input.values).size !== input.values.length) {
      throw new AppError("validation_failed", "Give unique values.", [{ path: "values", message: "empty or duplicate values" }]);
    }
    const used = await tx.execute<{ v: string }>(sql`select distinct attributes ->> ${code} as v from products where attributes ? ${code}`);
    const missing = [...used].map((u) => u.v).filter((v) => !input.values!.includes(v));
    if (missing.length) throw new AppError("conflict", `Products still use ${missing.slice(0, 5).join(", ")}.`, [{ path: "values", message: "values in use" }]);
  }
  const [updated] = await tx.update(attributes).set(input).where(eq(attributes.id, row.id)).returning();
  await enqueue(tx, TaxonomyEvents.attributeChanged, { tenantId, aggregateId: row.id, data: { attributeId: row.id, code, change: "updated" } });
  return toAttribute(updated!);
}

/** Delete an attribute no product uses. */
export async function deleteAttribute(tx: Tx, tenantId: string, code: string): Promise<void> {
  const [row] = await tx.select().from(attributes).where(eq(attributes.code, code)).limit(1);
  if (!row) throw new AppError("not_found", "No such attribute in this store.");
  const used = await tx.execute<{ n: number }>(sql`select count(*)::int as n from products where attributes ? ${code}`);
  const n = [...used][0]?.n ?? 0;
  if (n > 0) throw new AppError("conflict", `${n} products still have this attribute; remove it from them first.`);
  await tx.delete(attributes).where(eq(attributes.id, row.id));
  await enqueue(tx, TaxonomyEvents.attributeChanged, { tenantId, aggregateId: row.id, data: { attributeId: row.id, code, change: "deleted" } });
}

export { attributeProblem };
