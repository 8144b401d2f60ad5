import type { Filter } from "./types.js";

/** The reserved field every document carries: the shard its primary key hashes to. */
export const SHARD_FIELD = "_miroir_shard";

export function shardFilter(shards: readonly number[]): string {
  return `${SHARD_FIELD} IN [${shards.join(", ")}]`;
}

/**
 * ANDs the shard restriction with the client's filter without changing its meaning, in
 * Meilisearch's array form (top-level elements are ANDed, each parsed on its own): a
 * string becomes one element, so no text of the client's (an unbalanced parenthesis, a
 * trailing `OR`) can reach the restriction, and a node refuses exactly the filters one
 * Meilisearch node refuses; an array gets one more element.
 */
export function withShardFilter(
  clientFilter: Filter | null | undefined,
  shards: readonly number[],
): Filter {
  const restriction = shardFilter(shards);
  if (clientFilter === null || clientFilter === undefined) return restriction;
  if (typeof clientFilter === "string") {
    return clientFilter.trim() === "" ? restriction : [clientFilter, restriction];
  }
  return [...clientFilter, restriction];
}
