import type { estypes } from "@elastic/elasticsearch";
import { TenantId } from "@bazaar/contracts";

/**
 * Postgres' `english` stop words (tsearch_data/english.stop): the index drops the same words as
 * `to_tsvector('english', ...)`, and queries drop them before they are built, so a query of only
 * stop words matches everything in both engines.
 */
export const ENGLISH_STOPWORDS: readonly string[] = (
  "i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers herself it its itself " +
  "they them their theirs themselves what which who whom this that these those am is are was were be been being have has had having " +
  "do does did doing a an the and but if or because as until while of at by for with about against between into through during " +
  "before after above below to from up down in out on off over under again further then once here there when where why how all any " +
  "both each few more most other some such no nor not only own same so than too very s t can will just don should now"
).split(" ");

const PREFIX = /^[a-z0-9][a-z0-9-]{0,39}$/;

/** Index names for one tenant: searches and writes go through aliases, never a concrete index. */
export interface TenantIndexNames {
  /** `<prefix>-<tenantId>-products`: the live index. */
  alias: string;
  /** Points at an index being rebuilt; incremental writes go there too until the swap. */
  building: string;
  /** Wildcard over this tenant's concrete (versioned) indices. */
  pattern: string;
  /** A new concrete index name (sortable by creation time). */
  versioned(stamp: number | string): string;
}

export function indexNames(prefix: string, tenantId: string): TenantIndexNames {
  if (!PREFIX.test(prefix)) throw new Error(`invalid Elasticsearch index prefix ${JSON.stringify(prefix)}`);
  if (!TenantId.safeParse(tenantId).success) throw new Error("invalid tenant id");
  const alias = `${prefix}-${tenantId}-products`;
  return { alias, building: `${alias}-next`, pattern: `${alias}-v*`, versioned: (stamp) => `${alias}-v${stamp}` };
}

export const ANALYZER = "bazaar_english";

/**
 * Settings for a tenant's index. One shard: a store's catalog is small, and one shard makes terms
 * aggregations (facet counts) exact and scores independent of shard placement.
 */
export function indexSettings(opts: { replicas?: number } = {}): estypes.IndicesIndexSettings {
  return {
    number_of_shards: 1,
    ...(opts.replicas === undefined ? {} : { number_of_replicas: opts.replicas }),
    analysis: {
      filter: {
        bazaar_possessive: { type: "stemmer", language: "possessive_english" },
        bazaar_stop: { type: "stop", stopwords: [...ENGLISH_STOPWORDS] },
        // Snowball English (porter2) is Postgres' english_stem: both engines stem words alike.
        bazaar_stem: { type: "stemmer", language: "porter2" },
      },
      analyzer: {
        [ANALYZER]: { type: "custom", tokenizer: "standard", filter: ["bazaar_possessive", "lowercase", "bazaar_stop", "bazaar_stem"] },
        bazaar_word: { type: "custom", tokenizer: "keyword", filter: ["lowercase"] },
      },
      normalizer: {
        bazaar_sort: { type: "custom", filter: ["lowercase", "asciifolding"] },
      },
    },
  };
}

const text = { type: "text", analyzer: ANALYZER } as const;
const keyword = { type: "keyword" } as const;

/** Field names are the ES document's (see documents.ts, `ProductDocument`). */
export const MAPPINGS: estypes.MappingTypeMapping = {
  dynamic: "strict",
  properties: {
    id: keyword,
    slug: keyword,
    name: { ...text, fields: { sort: { type: "keyword", normalizer: "bazaar_sort" } } },
    description: text,
    price_amount: { type: "long" },
    currency: keyword,
    status: keyword,
    in_stock: { type: "boolean" },
    created_at: { type: "date" },
    image: { type: "object", enabled: false },
    brand_id: keyword,
    brand_slug: keyword,
    brand_name: text,
    brand_facet: keyword,
    category_ids: keyword,
    category_slugs: keyword,
    category_names: text,
    category_facets: keyword,
    // All attributes as text forms, filterable by `attr.<code>`; flattened keeps the mapping small.
    attr: { type: "flattened" },
    attr_text: text,
    attr_facets: keyword,
    words: { type: "text", analyzer: "bazaar_word" },
  },
};
