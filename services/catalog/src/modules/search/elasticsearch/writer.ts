import { errors, type Client, type estypes } from "@elastic/elasticsearch";
import type { DocumentBatch } from "./documents.ts";
import { MAPPINGS, indexNames, indexSettings, type TenantIndexNames } from "./mapping.ts";

export const isNotFound = (err: unknown) => err instanceof errors.ResponseError && err.statusCode === 404;
const errorType = (err: unknown) => (err instanceof errors.ResponseError ? (err.body as { error?: { type?: string } } | undefined)?.error?.type : undefined);

/** A write target: the live alias (must take the write) or a rebuild's alias (may vanish meanwhile). */
export interface Target {
  alias: string;
  required: boolean;
}

interface AliasState {
  /** Concrete indices behind the live alias (one, except briefly when two rebuilds raced). */
  live: string[];
  building: string[];
  all: string[];
}

/**
 * Index administration and versioned bulk writes. Every write carries the database clock of the
 * read it came from as an external version (`external_gte`), so a stale document (read before a
 * newer one was written, e.g. by a rebuild racing an event) is refused instead of winning, and a
 * delete leaves a tombstone that a late stale write cannot undo. Writes name aliases with
 * `require_alias`, so a write can never auto-create an index that was just swapped out.
 */
export function createIndexWriter(opts: { client: Client; prefix: string; refresh?: boolean | "wait_for"; replicas?: number }) {
  const { client } = opts;
  const names = (tenantId: string): TenantIndexNames => indexNames(opts.prefix, tenantId);
  const body = { settings: indexSettings(opts.replicas === undefined ? {} : { replicas: opts.replicas }), mappings: MAPPINGS };

  async function state(tenantId: string): Promise<AliasState> {
    const n = names(tenantId);
    let res: estypes.IndicesGetAliasResponse;
    try {
      res = await client.indices.getAlias({ index: n.pattern });
    } catch (err) {
      if (isNotFound(err)) return { live: [], building: [], all: [] };
      throw err;
    }
    const entries = Object.entries(res).filter(([, v]) => v && typeof v === "object" && "aliases" in v);
    return {
      live: entries.filter(([, v]) => n.alias in v.aliases).map(([k]) => k).sort(),
      building: entries.filter(([, v]) => n.building in v.aliases).map(([k]) => k).sort(),
      all: entries.map(([k]) => k).sort(),
    };
  }

  async function targets(tenantId: string): Promise<Target[]> {
    const n = names(tenantId);
    const s = await state(tenantId);
    return [...(s.live.length ? [{ alias: n.alias, required: true }] : []), ...(s.building.length ? [{ alias: n.building, required: false }] : [])];
  }

  async function write(tenantId: string, to: Target[], batch: DocumentBatch, deletes: string[]): Promise<void> {
    if (to.length === 0 || (batch.docs.length === 0 && deletes.length === 0)) return;
    const operations: estypes.BulkRequest["operations"] = [];
    const owners: Target[] = [];
    const meta = (alias: string, id: string) => ({ _index: alias, _id: id, version: batch.version, version_type: "external_gte" as const });
    for (const t of to) {
      for (const doc of batch.docs) {
        operations.push({ index: meta(t.alias, doc.id) }, doc);
        owners.push(t);
      }
      for (const id of deletes) {
        operations.push({ delete: meta(t.alias, id) });
        owners.push(t);
      }
    }
    const res = await client.bulk({ operations, require_alias: true, ...(opts.refresh !== undefined ? { refresh: opts.refresh } : {}) });
    if (!res.errors) return;
    const failures = res.items.flatMap((item, i) => {
      const r = item.index ?? item.delete;
      const type = r?.error?.type;
      if (!r?.error || type === "version_conflict_engine_exception") return [];
      if (type === "index_not_found_exception" && !owners[i]?.required) return [];
      return [`${r._id}: ${type} ${r.error.reason ?? ""}`];
    });
    if (failures.length) throw new Error(`Elasticsearch bulk write for ${tenantId} failed for ${failures.length} item(s): ${failures.slice(0, 3).join("; ")}`);
  }

  /** Create the store's first index with the live alias (idempotent; racing creators agree on the name). */
  async function ensureLive(tenantId: string): Promise<void> {
    const n = names(tenantId);
    if ((await state(tenantId)).live.length) return;
    const index = n.versioned(0);
    try {
      await client.indices.create({ index, ...body, aliases: { [n.alias]: {} } });
    } catch (err) {
      if (errorType(err) !== "resource_already_exists_exception") throw err;
      if ((await state(tenantId)).live.length === 0) await client.indices.updateAliases({ actions: [{ add: { index, alias: n.alias } }] });
    }
  }

  /** A new empty index behind the building alias; a building index left by a crashed rebuild goes. */
  async function startBuild(tenantId: string): Promise<string> {
    const n = names(tenantId);
    const s = await state(tenantId);
    const leftovers = s.building.filter((i) => !s.live.includes(i));
    if (leftovers.length) await client.indices.delete({ index: leftovers });
    const index = n.versioned(Date.now());
    await client.indices.create({ index, ...body, aliases: { [n.building]: {} } });
    return index;
  }

  /** Swap the live alias to the built index in one atomic alias update, then delete the old ones. */
  async function finishBuild(tenantId: string, index: string): Promise<void> {
    const n = names(tenantId);
    await client.indices.refresh({ index });
    const old = (await state(tenantId)).live.filter((i) => i !== index);
    await client.indices.updateAliases({
      actions: [{ remove: { index, alias: n.building } }, { add: { index, alias: n.alias } }, ...old.map((i) => ({ remove: { index: i, alias: n.alias } }))],
    });
    if (old.length) await client.indices.delete({ index: old, ignore_unavailable: true });
  }

  async function drop(tenantId: string): Promise<void> {
    const { all } = await state(tenantId);
    // Concrete names: clusters refuse wildcard deletes (action.destructive_requires_name).
    if (all.length) await client.indices.delete({ index: all, ignore_unavailable: true });
  }

  return { names, state, targets, write, ensureLive, startBuild, finishBuild, drop };
}
