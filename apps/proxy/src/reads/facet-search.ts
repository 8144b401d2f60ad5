import {
  checkFacetSearchResponse,
  type FacetSearchQuery,
  mergeCheckedFacetSearch,
  type SearchQuery,
  withShardFilter,
} from "@miroir/merger";
import type { ProxyContext } from "../context.js";
import { indexPath, type NodeRequest } from "../node-client/index.js";
import { withMergeSettings } from "../scatter/merge-settings.js";
import { gather, openPlannedRead, type ReadAnswer } from "../scatter/read-pipeline.js";
import { allShards } from "../scatter/read-scope.js";
import { plannableQuery } from "./plannable-query.js";

function plannableFacetSearch(body: unknown): (SearchQuery & FacetSearchQuery) | null {
  const query = plannableQuery(body);
  return query === null || typeof query.facetName !== "string"
    ? null
    : (query as SearchQuery & FacetSearchQuery);
}

/**
 * `POST /indexes/{uid}/facet-search` over one covering set: each node searches the facet
 * values of its shards, the counts are summed per value and ordered as Meilisearch orders.
 */
export async function facetSearchIndex(
  ctx: ProxyContext,
  indexUid: string,
  body: unknown,
  original: NodeRequest,
): Promise<ReadAnswer> {
  const { scope, query } = await openPlannedRead(
    ctx,
    body,
    plannableFacetSearch,
    original,
    undefined,
    indexUid,
  );
  const path = `${indexPath(indexUid)}/facet-search`;
  return withMergeSettings(
    ctx,
    scope,
    indexUid,
    (settings) =>
      gather(ctx, scope, {
        shards: allShards(scope),
        request: (shards) => ({
          method: "POST",
          path,
          json: { ...query, filter: withShardFilter(query.filter, shards) },
        }),
        check: (reply) => checkFacetSearchResponse(reply.nodeId, reply.body),
        merge: (checked) => mergeCheckedFacetSearch(query, settings, checked),
        original,
      }),
    original,
  );
}
