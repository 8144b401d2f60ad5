import {
  checkSearchResponse,
  type MergeSettings,
  mergeCheckedSearch,
  planShardQuery,
  type SearchQuery,
} from "@miroir/merger";
import type { ProxyContext } from "../context.js";
import { indexPath, type NodeRequest } from "../node-client/index.js";
import { withMergeSettings } from "../scatter/merge-settings.js";
import { pinnedShards } from "../scatter/primary-key-pins.js";
import { readExclusions } from "../scatter/read-exclusions.js";
import { gather, openPlannedRead, type ReadAnswer } from "../scatter/read-pipeline.js";
import { allShards, type ReadScope } from "../scatter/read-scope.js";
import { plannableQuery } from "./plannable-query.js";
import { searchKey } from "./search-coalescing.js";

/**
 * One search over the covering set of one group, merged into the answer a single node
 * holding every document gives (`mergeCheckedSearch`, @miroir/merger). A primary-key
 * filter sends it to the owning shards only. Identical searches in flight together share
 * one (`query_coalescing`), except a session's reads: they must see the session's writes,
 * which a search started earlier may not.
 */
export function searchIndex(
  ctx: ProxyContext,
  indexUid: string,
  body: unknown,
  original: NodeRequest,
): Promise<ReadAnswer> {
  if (ctx.searches === null || readExclusions() !== undefined) {
    return scatteredSearch(ctx, indexUid, body, original);
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
): Promise<ReadAnswer> {
  const { scope, query } = await openPlannedRead(ctx, body, plannableQuery, original);
  const path = `${indexPath(indexUid)}/search`;
  return withMergeSettings(ctx, scope, indexUid, (settings) =>
    gather(ctx, scope, {
      shards: searchedShards(scope, query, settings),
      request: (shards) => ({
        method: "POST",
        path,
        json: planShardQuery(query, settings, shards).query,
      }),
      check: (reply) => checkSearchResponse(reply.nodeId, reply.body),
      merge: (checked) => mergeCheckedSearch(query, settings, checked),
      original,
    }),
  );
}

/** Every shard, or only the owners of the primary keys the filter pins. */
function searchedShards(scope: ReadScope, query: SearchQuery, settings: MergeSettings): number[] {
  const { narrowing } = scope.settings;
  if (!narrowing.enabled || settings.primaryKey === null) return allShards(scope);
  return (
    pinnedShards(query.filter, settings.primaryKey, scope.topology.shards, narrowing.maxLiterals) ??
    allShards(scope)
  );
}
