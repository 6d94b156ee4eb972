import { createRoute, z } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import { Suggestion } from "@bazaar/contracts";
import type { Tx } from "@bazaar/service-kit/db";
import { createRouter } from "@bazaar/service-kit/http";
import type { Tenancy } from "@bazaar/service-kit/tenancy";
import { queryTerms, tsQuerySource } from "./text.ts";

type SuggestionT = z.infer<typeof Suggestion>;

/**
 * As-you-type suggestions: categories and brands whose name has a word starting with the last word
 * typed, then active products matching all words (the last as a prefix), best first.
 */
export async function suggest(tx: Tx, q: string, limit: number): Promise<SuggestionT[]> {
  const terms = queryTerms(q);
  if (terms.length === 0) return [];
  const last = terms.at(-1)!.replace(/[\\%_]/g, "\\$&");
  const pattern = `(^|[^[:alnum:]])${last.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`;
  const rows = await tx.execute<SuggestionT>(sql`
    (select 'category' as kind, id, slug, name from categories where name ~* ${pattern} order by length(name), name limit 3)
    union all
    (select 'brand' as kind, id, slug, name from brands where name ~* ${pattern} order by length(name), name limit 3)
    union all
    (select 'product' as kind, id, slug, name from products
      where status = 'active' and search @@ to_tsquery('english', ${tsQuerySource(terms)})
      order by ts_rank_cd(search, to_tsquery('english', ${tsQuerySource(terms)})) desc, id desc limit ${limit})`);
  return [...rows].slice(0, limit);
}

export function searchRoutes(deps: { tenancy: Tenancy }) {
  return createRouter().openapi(
    createRoute({
      method: "get",
      path: "/api/v1/search/suggest",
      tags: ["Storefront"],
      summary: "Autocomplete: categories, brands and products for what has been typed so far",
      request: { query: z.object({ q: z.string().max(200), limit: z.coerce.number().int().min(1).max(20).default(8) }) },
      responses: { 200: { description: "Suggestions, best first", content: { "application/json": { schema: z.object({ items: z.array(Suggestion) }) } } } },
    }),
    async (c) => {
      const { q, limit } = c.req.valid("query");
      return c.json({ items: await deps.tenancy.withTenant(c.get("tenant").tenantId, (tx) => suggest(tx, q, limit)) }, 200);
    },
  );
}
