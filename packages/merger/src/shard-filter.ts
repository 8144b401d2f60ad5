import type { Filter } from "./types.js";

/** The reserved field every document carries: the shard its primary key hashes to. */
export const SHARD_FIELD = "_miroir_shard";

export function shardFilter(shards: readonly number[]): string {
  return `${SHARD_FIELD} IN [${shards.join(", ")}]`;
}

/**
 * ANDs the shard restriction with the client's filter without changing its meaning: a
 * string is parenthesised (its own OR must not bind to our AND), an array gets one more
 * AND-ed element, which is what the array form means.
 */
export function withShardFilter(
  clientFilter: Filter | null | undefined,
  shards: readonly number[],
): Filter {
  const restriction = shardFilter(shards);
  if (clientFilter === null || clientFilter === undefined) return restriction;
  if (typeof clientFilter === "string") {
    return clientFilter.trim() === "" ? restriction : `(${clientFilter}) AND ${restriction}`;
  }
  return [...clientFilter, restriction];
}
