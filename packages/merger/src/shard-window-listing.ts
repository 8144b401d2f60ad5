import type { MergedDocumentsBrowse } from "./documents-browse.js";

type Document = Record<string, unknown>;

const RESERVED_PREFIX = "_miroir_";

/** A stored document as a client sees it: a copy without Miroir's `_miroir_*` fields. */
export function clientDocument(document: Document): Document {
  const visible: Document = {};
  for (const key in document) {
    if (!key.startsWith(RESERVED_PREFIX)) visible[key] = document[key];
  }
  return visible;
}

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

/**
 * The listing "shard 0's documents, then shard 1's, …" in the client's window: each
 * range's documents as its shard's replica listed them, in shard order (a range no
 * replica answered for is missing), `total` the sum of the per-shard counts.
 */
export function mergeShardWindowListing(
  window: { readonly offset: number; readonly limit: number },
  counts: readonly number[],
  ranges: readonly ShardRange[],
  byShard: ReadonlyMap<number, readonly Document[]>,
): MergedDocumentsBrowse {
  const results = ranges.flatMap((range) => (byShard.get(range.shard) ?? []).map(clientDocument));
  const total = counts.reduce((sum, count) => sum + count, 0);
  return { results, offset: window.offset, limit: window.limit, total };
}
