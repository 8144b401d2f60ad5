/** The part of one shard's listing that falls in the client's window. */
export interface ShardRange {
  readonly shard: number;
  readonly offset: number;
  readonly limit: number;
}

/**
 * Where the window [offset, offset + limit) of the listing "shard 0's documents, then
 * shard 1's, …" falls, given each shard's document count: one range per shard it touches,
 * in shard order.
 */
export function shardRanges(
  counts: readonly number[],
  offset: number,
  limit: number,
): ShardRange[] {
  const ranges: ShardRange[] = [];
  const end = offset + limit;
  let start = 0;
  for (let shard = 0; shard < counts.length && start < end; shard++) {
    const count = counts[shard] ?? 0;
    const from = Math.max(offset, start);
    const to = Math.min(end, start + count);
    if (to > from) ranges.push({ shard, offset: from - start, limit: to - from });
    start += count;
  }
  return ranges;
}
