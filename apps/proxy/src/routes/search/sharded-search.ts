import {
  checkSearchResponse,
  type MergeSettings,
  mergeCheckedSearch,
  planShardQuery,
  type SearchQuery,
} from "@miroir/merger";
import type { ProxyContext } from "../../context.js";
import { withMergeSettings } from "../../scatter/merge-settings.js";
import { type OriginalRequest, rejectionOf } from "../../scatter/original-request.js";
import { pinnedShards } from "../../scatter/primary-key-pins.js";
import type { ReadAnswer } from "../../scatter/read-answer.js";
import { allShards, openRead, type ReadScope } from "../../scatter/read-scope.js";
import { scatter } from "../../scatter/scatter.js";
import { degradedHeaders } from "../../scatter/unavailable-shards.js";
import { indexPath } from "../index-uid.js";
import { plannableQuery } from "./plannable-query.js";

/**
 * One search over the covering set of one group, merged into the answer a single node
 * holding every document gives. A primary-key filter sends it to the owning shards only.
 */
export async function shardedSearch(
  ctx: ProxyContext,
  indexUid: string,
  body: unknown,
  original: OriginalRequest,
): Promise<ReadAnswer> {
  const scope = openRead(ctx);
  const query = plannableQuery(body);
  if (query === null) throw await rejectionOf(ctx, scope, original);
  const path = `${indexPath(indexUid)}/search`;
  return withMergeSettings(ctx, scope, indexUid, async (settings) => {
    const outcome = await scatter(ctx, scope, {
      shards: searchedShards(scope, query, settings),
      call: (nodeId, shards, timeoutMs) =>
        ctx.nodes.call(nodeId, {
          method: "POST",
          path,
          json: planShardQuery(query, settings, shards).query,
          timeoutMs,
        }),
      check: (reply) => checkSearchResponse(reply.nodeId, reply.body),
      original,
    });
    const headers = degradedHeaders(scope, outcome.lost);
    const checked = outcome.answers.map((answer) => answer.checked);
    return { body: mergeCheckedSearch(query, settings, checked), headers };
  });
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
