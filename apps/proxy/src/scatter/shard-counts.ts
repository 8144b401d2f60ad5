import { type Filter, NodeAnswerError, SHARD_FIELD, withShardFilter } from "@miroir/merger";
import type { ProxyContext } from "../context.js";
import type { OriginalRequest } from "./original-request.js";
import { allShards, type ReadScope } from "./read-scope.js";
import { type NodeReply, scatter } from "./scatter.js";

/** An index whose documents are counted per shard. */
export interface CountedIndex {
  readonly uid: string;
  /** How many facet values the index's nodes return: shards are asked in slices of this. */
  readonly maxValuesPerFacet: number;
  /** Count only the documents this filter matches. */
  readonly filter?: Filter | null;
}

export interface ShardCounts {
  /** Index uid → documents per shard (index = shard), each shard counted on one replica. */
  readonly byIndex: Map<string, number[]>;
  /** Shards no replica could count, ascending (their counts are 0 above). */
  readonly lost: number[];
}

interface CountQuery {
  readonly index: CountedIndex;
  readonly shards: readonly number[];
}

/**
 * Exact per-shard document counts: each covering node runs `limit 0` searches faceted on
 * `_miroir_shard` restricted to its shards, so every shard is counted on exactly one
 * replica, whatever RF is. Shards are asked in slices of at most `maxValuesPerFacet`, so
 * no shard's count is cut off the facet distribution.
 */
export async function shardCounts(
  ctx: ProxyContext,
  scope: ReadScope,
  indexes: readonly CountedIndex[],
  original?: OriginalRequest,
): Promise<ShardCounts> {
  const byIndex = new Map(
    indexes.map((index) => [index.uid, new Array<number>(scope.topology.shards).fill(0)]),
  );
  if (indexes.length === 0) return { byIndex, lost: [] };
  // Pure in the shards, so an answer's plan is recomputed from the shards it answered for
  // (a node may be asked twice in one read, for different shards, when another fails).
  const planFor = (shards: readonly number[]): CountQuery[] =>
    indexes.flatMap((index) =>
      slices(shards, index.maxValuesPerFacet).map((slice) => ({ index, shards: slice })),
    );
  const outcome = await scatter(ctx, scope, {
    shards: allShards(scope),
    call: (nodeId, shards, timeoutMs) =>
      ctx.nodes.call(nodeId, {
        method: "POST",
        path: "/multi-search",
        json: {
          queries: planFor(shards).map(({ index, shards: slice }) => ({
            indexUid: index.uid,
            q: "",
            limit: 0,
            facets: [SHARD_FIELD],
            filter: withShardFilter(index.filter, slice),
          })),
        },
        timeoutMs,
      }),
    check: (reply) => countsOf(reply, planFor(reply.shards)),
    ...(original === undefined ? {} : { original }),
  });
  for (const answer of outcome.answers) {
    for (const { indexUid, shard, count } of answer.checked) {
      const counts = byIndex.get(indexUid);
      if (counts !== undefined) counts[shard] = count;
    }
  }
  return { byIndex, lost: outcome.lost };
}

/** The sum of per-shard counts. */
export function totalOf(counts: readonly number[] | undefined): number {
  return (counts ?? []).reduce((sum, count) => sum + count, 0);
}

function slices(shards: readonly number[], size: number): number[][] {
  const step = Math.max(1, size);
  const result: number[][] = [];
  for (let start = 0; start < shards.length; start += step) {
    result.push(shards.slice(start, start + step));
  }
  return result;
}

/** The documents of each shard one node answered for. */
function countsOf(
  answer: NodeReply,
  queries: readonly CountQuery[],
): { indexUid: string; shard: number; count: number }[] {
  const results = (answer.body as { results?: unknown } | null)?.results;
  if (!Array.isArray(results) || results.length !== queries.length) {
    throw new NodeAnswerError(answer.nodeId, "not one result per count query");
  }
  return queries.flatMap((query, position) => {
    const distribution = (results[position] as { facetDistribution?: Record<string, unknown> })
      ?.facetDistribution?.[SHARD_FIELD];
    if (typeof distribution !== "object" || distribution === null) {
      throw new NodeAnswerError(answer.nodeId, `no \`${SHARD_FIELD}\` facet distribution`);
    }
    return query.shards.map((shard) => {
      const count = (distribution as Record<string, unknown>)[String(shard)] ?? 0;
      if (typeof count !== "number") {
        throw new NodeAnswerError(answer.nodeId, "a count is not a number");
      }
      return { indexUid: query.index.uid, shard, count };
    });
  });
}
