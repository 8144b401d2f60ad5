import { SHARD_FIELD } from "@miroir/merger";
import { type Topology, writeTargets } from "@miroir/router";

/**
 * The shards of a write grouped by the nodes that hold them: every replica of a part
 * holds exactly the part's shards, so a node's request for one part covers the same
 * documents on every replica, and one replica's figures (documents deleted, edited)
 * count the part exactly. A write sent in parts is counted part by part, never by
 * dividing what the replicas summed, which undercounts as soon as one missed the write.
 */
export interface CountingPart {
  readonly shards: readonly number[];
  /** The part's write targets, the same for each of its shards. */
  readonly targets: readonly string[];
}

export function countingParts(shards: Iterable<number>, topology: Topology): CountingPart[] {
  const byTargets = new Map<string, { shards: number[]; targets: readonly string[] }>();
  for (const shard of [...new Set(shards)].sort((a, b) => a - b)) {
    const targets = writeTargets(shard, topology);
    const key = [...targets].sort().join("\u0000");
    const part = byTargets.get(key) ?? { shards: [], targets };
    part.shards.push(shard);
    byTargets.set(key, part);
  }
  return [...byTargets.values()];
}

/** The filter that keeps a part's shards. */
export function shardClause(shards: readonly number[]): string {
  return `${SHARD_FIELD} IN [${shards.join(", ")}]`;
}

/**
 * A client's filter narrowed to some shards, in the array form (AND of its elements), so
 * the client's own expression is parsed alone and a node's error about it reads as it
 * would for that filter sent alone. Undefined when the filter is absent (`null` too)
 * only for writes where that means every document.
 */
export function narrowedFilter(filter: unknown, shards: readonly number[]): unknown {
  const clause = shardClause(shards);
  if (filter === undefined || filter === null) return clause;
  return Array.isArray(filter) ? [...filter, clause] : [filter, clause];
}

/**
 * Whether a client's filter can be narrowed to shards without changing how a node judges
 * it: a string or an array with some expression in it. Meilisearch refuses an empty
 * filter (`""`, `[]`, `[""]`) for a deletion, but would take it as an element of an
 * array; such a filter, or one of another type, goes to the nodes as it is.
 */
export function narrowable(filter: unknown): boolean {
  if (typeof filter === "string") return filter.trim() !== "";
  if (Array.isArray(filter)) return filter.some(narrowable);
  return false;
}
