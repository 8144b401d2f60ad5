import {
  checkSearchResponse,
  countedDistinctAttribute,
  distinctCountQuery,
  distinctCountsOf,
  type MergeSettings,
  mergeCheckedSearch,
  planShardQuery,
  type SearchQuery,
  type SearchResponseBody,
  widerDistinctShardLimit,
} from "@miroir/merger";
import type { ProxyContext } from "../context.js";
import { indexPath, type NodeRequest } from "../node-client/index.js";
import { withMergeSettings } from "../scatter/merge-settings.js";
import { pinnedShards } from "../scatter/primary-key-pins.js";
import { readExclusions } from "../scatter/read-exclusions.js";
import { gather, openPlannedRead, type ReadAnswer } from "../scatter/read-pipeline.js";
import { allShards, type ReadScope } from "../scatter/read-scope.js";
import type { ReadTrace } from "../scatter/read-trace.js";
import { plannableQuery } from "./plannable-query.js";
import { searchKey } from "./search-coalescing.js";

/** How many times a distinct search may ask the shards again for longer lists. */
const DISTINCT_WIDENINGS = 3;

/**
 * One search over the covering set of one group, merged into the answer a single node
 * holding every document gives (`mergeCheckedSearch`, @miroir/merger). A primary-key
 * filter sends it to the owning shards only. A distinct search also asks each shard, in the
 * same round, for its counts without `distinct` (the node's total depends on its whole
 * walk), and asks again for longer lists when a shard's list ended inside the last ranking
 * bucket that walk reads. Identical searches in flight together share
 * one (`query_coalescing`), except a session's reads: they must see the session's writes,
 * which a search started earlier may not, and an explained search: its trace is its own.
 * `trace` records the read's node calls (explain).
 */
export function searchIndex(
  ctx: ProxyContext,
  indexUid: string,
  body: unknown,
  original: NodeRequest,
  trace?: ReadTrace,
): Promise<ReadAnswer> {
  if (ctx.searches === null || trace !== undefined || readExclusions() !== undefined) {
    return scatteredSearch(ctx, indexUid, body, original, trace);
  }
  return ctx.searches.run(searchKey(indexUid, body), () =>
    scatteredSearch(ctx, indexUid, body, original),
  );
}

async function scatteredSearch(
  ctx: ProxyContext,
  indexUid: string,
  body: unknown,
  original: NodeRequest,
  trace?: ReadTrace,
): Promise<ReadAnswer> {
  const { scope, query } = await openPlannedRead(
    ctx,
    body,
    plannableQuery,
    original,
    trace,
    indexUid,
  );
  const path = `${indexPath(indexUid)}/search`;
  return withMergeSettings(
    ctx,
    scope,
    indexUid,
    async (settings) => {
      const counted = countedDistinctAttribute(query, settings);
      const shards = searchedShards(scope, query, settings);
      if (counted === null) {
        return gather(ctx, scope, {
          shards,
          request: (covered) => ({
            method: "POST",
            path,
            json: planShardQuery(query, settings, covered).query,
          }),
          check: (reply) => checkSearchResponse(reply.nodeId, reply.body),
          merge: (checked) => mergeCheckedSearch(query, settings, checked),
          original,
        });
      }
      let shardLimit: number | undefined;
      for (let round = 0; ; round++) {
        const limit = shardLimit;
        const read = await gather(ctx, scope, {
          shards,
          request: (covered) => {
            const planned = planShardQuery(query, settings, covered).query;
            if (limit !== undefined && typeof planned.limit === "number") planned.limit = limit;
            return [
              { method: "POST", path, json: planned },
              { method: "POST", path, json: distinctCountQuery(planned, counted) },
            ];
          },
          check: (reply) => {
            const [answer, counts] = reply.body as [unknown, unknown];
            return {
              answer: checkSearchResponse(reply.nodeId, answer),
              counts: distinctCountsOf(checkSearchResponse(reply.nodeId, counts), counted),
            };
          },
          merge: (checked) => checked,
          original,
        });
        const answers: SearchResponseBody[] = read.body.map((checked) => checked.answer);
        const asked = limit ?? shardLimitOf(planShardQuery(query, settings, []).query);
        const wider = widerDistinctShardLimit(query, settings, answers, asked);
        if (wider !== null && round < DISTINCT_WIDENINGS) {
          shardLimit = wider;
          continue;
        }
        const counts = read.body.map((checked) => checked.counts);
        return {
          body: mergeCheckedSearch(query, settings, answers, { counts, shardLimit: asked }),
          degraded: read.degraded,
        };
      }
    },
    original,
  );
}

/** How many hits a planned shard query asks (`limit`, or `hitsPerPage` of page 1). */
function shardLimitOf(planned: SearchQuery): number {
  return (planned.limit ?? planned.hitsPerPage ?? 0) as number;
}

/** Every shard, or only the owners of the primary keys the filter pins. */
function searchedShards(
  scope: ReadScope,
  query: SearchQuery,
  settings: MergeSettings,
): readonly number[] {
  const { narrowing } = scope.settings;
  if (!narrowing.enabled || settings.primaryKey === null) return allShards(scope);
  return (
    pinnedShards(query.filter, settings.primaryKey, scope.topology.shards, narrowing.maxLiterals) ??
    allShards(scope)
  );
}
