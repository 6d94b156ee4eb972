import { eq } from "drizzle-orm";
import { NotificationTemplateKey, type NotificationTemplate, type PutTemplateBody, type RenderedTemplate, type TemplateParts } from "@bazaar/contracts";
import type { Tx } from "@bazaar/service-kit/db";
import { templates } from "../../db/schema/index.ts";
import { DEFAULT_TEMPLATES, sampleVars } from "./templates.defaults.ts";
import { renderAll, validateParts, variablePaths } from "./templates.render.ts";

type Row = typeof templates.$inferSelect;

function merged(key: NotificationTemplateKey, row: Row | undefined): TemplateParts {
  return { ...DEFAULT_TEMPLATES[key], ...((row?.parts as Partial<TemplateParts> | undefined) ?? {}) };
}

function view(key: NotificationTemplateKey, row: Row | undefined): NotificationTemplate {
  return {
    key,
    ...merged(key, row),
    custom: row !== undefined,
    variables: variablePaths(sampleVars(key, "Store")),
    updatedAt: row?.updatedAt.toISOString() ?? null,
  };
}

/** A store's templates: the shipped defaults with the store's edits laid over them, part by part. */
export const TemplatesService = {
  async list(tx: Tx): Promise<NotificationTemplate[]> {
    const rows = await tx.select().from(templates);
    return NotificationTemplateKey.options.map((k) => view(k, rows.find((r) => r.key === k)));
  },

  async get(tx: Tx, key: NotificationTemplateKey): Promise<NotificationTemplate> {
    const [row] = await tx.select().from(templates).where(eq(templates.key, key));
    return view(key, row);
  },

  async parts(tx: Tx, key: NotificationTemplateKey): Promise<TemplateParts> {
    const [row] = await tx.select().from(templates).where(eq(templates.key, key));
    return merged(key, row);
  },

  async put(tx: Tx, key: NotificationTemplateKey, body: PutTemplateBody): Promise<NotificationTemplate> {
    validateParts(body, sampleVars(key, "Store"));
    const [row] = await tx.select().from(templates).where(eq(templates.key, key)).for("update");
    const parts = { ...((row?.parts as Partial<TemplateParts> | undefined) ?? {}), ...body };
    const values = { key, parts, updatedAt: new Date() };
    const [saved] = await tx.insert(templates).values(values).onConflictDoUpdate({ target: templates.key, set: values }).returning();
    return view(key, saved);
  },

  /** Back to the shipped default. */
  async reset(tx: Tx, key: NotificationTemplateKey): Promise<NotificationTemplate> {
    await tx.delete(templates).where(eq(templates.key, key));
    return view(key, undefined);
  },

  async preview(tx: Tx, key: NotificationTemplateKey, storeName: string, unsaved: Partial<TemplateParts>): Promise<RenderedTemplate> {
    const sample = sampleVars(key, storeName);
    validateParts(unsaved, sample);
    const parts = { ...(await TemplatesService.parts(tx, key)), ...unsaved };
    return { ...renderAll(parts, sample), sample };
  },
};
