import {
  checkFacetSearchResponse,
  type FacetSearchQuery,
  mergeCheckedFacetSearch,
  withShardFilter,
} from "@miroir/merger";
import type { ProxyContext } from "../../context.js";
import { withMergeSettings } from "../../scatter/merge-settings.js";
import { type OriginalRequest, rejectionOf } from "../../scatter/original-request.js";
import type { ReadAnswer } from "../../scatter/read-answer.js";
import { allShards, openRead } from "../../scatter/read-scope.js";
import { scatter } from "../../scatter/scatter.js";
import { degradedHeaders } from "../../scatter/unavailable-shards.js";
import { indexPath } from "../index-uid.js";
import { plannableQuery } from "./plannable-query.js";

/**
 * `POST /indexes/{uid}/facet-search` over one covering set: each node searches the facet
 * values of its shards, the counts are summed per value and ordered as Meilisearch orders.
 */
export async function shardedFacetSearch(
  ctx: ProxyContext,
  indexUid: string,
  body: unknown,
  original: OriginalRequest,
): Promise<ReadAnswer> {
  const scope = openRead(ctx);
  const query = plannableQuery(body);
  if (query === null || typeof query.facetName !== "string") {
    throw await rejectionOf(ctx, scope, original);
  }
  const facetQuery = query as FacetSearchQuery;
  const path = `${indexPath(indexUid)}/facet-search`;
  return withMergeSettings(ctx, scope, indexUid, async (settings) => {
    const outcome = await scatter(ctx, scope, {
      shards: allShards(scope),
      call: (nodeId, shards, timeoutMs) =>
        ctx.nodes.call(nodeId, {
          method: "POST",
          path,
          json: { ...query, filter: withShardFilter(query.filter, shards) },
          timeoutMs,
        }),
      check: (reply) => checkFacetSearchResponse(reply.nodeId, reply.body),
      original,
    });
    const headers = degradedHeaders(scope, outcome.lost);
    const checked = outcome.answers.map((answer) => answer.checked);
    return { body: mergeCheckedFacetSearch(facetQuery, settings, checked), headers };
  });
}
