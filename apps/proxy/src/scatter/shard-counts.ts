import { type Filter, NodeAnswerError, SHARD_FIELD, withShardFilter } from "@miroir/merger";
import type { NodeRequest } from "../node-client/index.js";
import { allShards, type ReadScope } from "./read-scope.js";
import type { NodeReply, ShardRead } from "./scatter.js";

/** An index whose documents are counted per shard. */
export interface CountedIndex {
  readonly uid: string;
  /** How many facet values the index's nodes return: shards are asked in slices of this. */
  readonly maxValuesPerFacet: number;
  /** Count only the documents this filter matches. */
  readonly filter?: Filter | null;
}

interface CountQuery {
  readonly index: CountedIndex;
  readonly shards: readonly number[];
}

/** One shard's document count in one index, as a covering node answered it. */
interface ShardCount {
  readonly indexUid: string;
  readonly shard: number;
  readonly count: number;
}

/**
 * Exact per-shard document counts, merged as index uid → documents per shard (index =
 * shard): each covering node runs `limit 0` searches faceted on `_miroir_shard`
 * restricted to its shards, so every shard is counted on exactly one replica, whatever RF
 * is. Shards are asked in slices of at most `maxValuesPerFacet`, so no shard's count is
 * cut off the facet distribution. A lost shard counts 0.
 */
export function shardCountRead(
  scope: ReadScope,
  indexes: readonly CountedIndex[],
  original?: NodeRequest,
): ShardRead<ShardCount[], Map<string, number[]>> {
  const planFor = (shards: readonly number[]): CountQuery[] =>
    indexes.flatMap((index) =>
      slices(shards, index.maxValuesPerFacet).map((slice) => ({ index, shards: slice })),
    );
  return {
    shards: indexes.length === 0 ? [] : allShards(scope),
    request: (shards) => ({
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
    }),
    check: (reply) => countsOf(reply, planFor(reply.shards)),
    merge: (checked) => {
      const byIndex = new Map(
        indexes.map((index) => [index.uid, new Array<number>(scope.topology.shards).fill(0)]),
      );
      for (const { indexUid, shard, count } of checked.flat()) {
        const counts = byIndex.get(indexUid);
        if (counts !== undefined) counts[shard] = count;
      }
      return byIndex;
    },
    ...(original === undefined ? {} : { original }),
  };
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
function countsOf(answer: NodeReply, queries: readonly CountQuery[]): ShardCount[] {
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
