import { NodeAnswerError, SHARD_FIELD, withShardFilter } from "@miroir/merger";
import type { ProxyContext } from "../../context.js";
import { allShards, type ReadScope } from "../../scatter/read-scope.js";
import { type NodeAnswer, scatter } from "../../scatter/scatter.js";

/** An index whose documents are counted, and how many facet values its nodes return. */
export interface CountedIndex {
  readonly uid: string;
  readonly maxValuesPerFacet: number;
}

export interface DocumentCounts {
  /** Index uid → documents, each shard counted once (on one replica). */
  readonly byIndex: Map<string, number>;
  readonly lost: number[];
}

interface CountQuery {
  readonly indexUid: string;
  readonly shards: readonly number[];
}

/**
 * Exact document counts: each covering node runs a `limit 0` search faceted on
 * `_miroir_shard` restricted to its shards, so every shard is counted on exactly one
 * replica, whatever RF is. Shards are asked in slices of at most `maxValuesPerFacet`, so
 * no shard's count is cut off the facet distribution.
 */
export async function documentCounts(
  ctx: ProxyContext,
  scope: ReadScope,
  indexes: readonly CountedIndex[],
): Promise<DocumentCounts> {
  const byIndex = new Map(indexes.map((index) => [index.uid, 0]));
  if (indexes.length === 0) return { byIndex, lost: [] };
  const plans = new Map<string, CountQuery[]>();
  const queriesFor = (nodeId: string, shards: readonly number[]) => {
    const queries = indexes.flatMap((index) =>
      slices(shards, index.maxValuesPerFacet).map((slice) => ({
        indexUid: index.uid,
        shards: slice,
      })),
    );
    plans.set(nodeId, queries);
    return queries.map((query) => ({
      indexUid: query.indexUid,
      q: "",
      limit: 0,
      facets: [SHARD_FIELD],
      filter: withShardFilter(null, query.shards),
    }));
  };
  const outcome = await scatter(ctx, scope, {
    shards: allShards(scope),
    call: (nodeId, shards, timeoutMs) =>
      ctx.nodes.call(nodeId, {
        method: "POST",
        path: "/multi-search",
        json: { queries: queriesFor(nodeId, shards) },
        timeoutMs,
      }),
    check: (answer) => {
      countsOf(answer, plans.get(answer.nodeId) ?? []);
    },
  });
  for (const answer of outcome.answers) {
    for (const [indexUid, count] of countsOf(answer, plans.get(answer.nodeId) ?? [])) {
      byIndex.set(indexUid, (byIndex.get(indexUid) ?? 0) + count);
    }
  }
  return { byIndex, lost: outcome.lost };
}

function slices(shards: readonly number[], size: number): number[][] {
  const step = Math.max(1, size);
  const result: number[][] = [];
  for (let start = 0; start < shards.length; start += step) {
    result.push(shards.slice(start, start + step));
  }
  return result;
}

/** Per index, the documents of the shards one node answered for. */
function countsOf(answer: NodeAnswer, queries: readonly CountQuery[]): Map<string, number> {
  const results = (answer.body as { results?: unknown } | null)?.results;
  if (!Array.isArray(results) || results.length !== queries.length) {
    throw new NodeAnswerError(answer.nodeId, "not one result per count query");
  }
  const counts = new Map<string, number>();
  queries.forEach((query, position) => {
    const distribution = (results[position] as { facetDistribution?: Record<string, unknown> })
      ?.facetDistribution?.[SHARD_FIELD];
    if (typeof distribution !== "object" || distribution === null) {
      throw new NodeAnswerError(answer.nodeId, `no \`${SHARD_FIELD}\` facet distribution`);
    }
    let count = counts.get(query.indexUid) ?? 0;
    for (const shard of query.shards) {
      const value = (distribution as Record<string, unknown>)[String(shard)] ?? 0;
      if (typeof value !== "number")
        throw new NodeAnswerError(answer.nodeId, "a count is not a number");
      count += value;
    }
    counts.set(query.indexUid, count);
  });
  return counts;
}
