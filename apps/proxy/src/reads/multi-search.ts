import {
  checkFederatedResponse,
  checkMultiSearchResponse,
  type FederatedQuery,
  type Federation,
  mergeCheckedFederated,
  mergeCheckedMultiSearch,
  multiSearchResultCount,
  planFederatedShardQuery,
  planMultiSearchShardQuery,
  type ShardLimits,
  widerMultiSearchShardLimits,
} from "@miroir/merger";
import type { ProxyContext } from "../context.js";
import type { NodeRequest } from "../node-client/index.js";
import { readSettingsOfIndexes } from "../scatter/merge-settings.js";
import { gather, openPlannedRead, type ReadAnswer } from "../scatter/read-pipeline.js";
import { allShards } from "../scatter/read-scope.js";
import { isRecord, plannableQuery } from "./plannable-query.js";

interface PlannableMultiSearch {
  readonly queries: FederatedQuery[];
  readonly federation: Federation | null;
}

function plannableMultiSearch(body: unknown): PlannableMultiSearch | null {
  if (!isRecord(body) || !Array.isArray(body.queries)) return null;
  const queries: FederatedQuery[] = [];
  for (const entry of body.queries) {
    const query = plannableQuery(entry);
    if (query === null || typeof query.indexUid !== "string") return null;
    queries.push(query as FederatedQuery);
  }
  const federation = body.federation ?? null;
  if (federation !== null && plannableQuery(federation) === null) return null;
  return { queries, federation: federation as Federation | null };
}

/** How many times a multi-search may ask the shards again for longer lists. */
const DISTINCT_WIDENINGS = 3;

const multiSearchRequest = (json: unknown): NodeRequest => ({
  method: "POST",
  path: "/multi-search",
  json,
});

/**
 * `POST /multi-search` over one covering set: every node answers all the queries for its
 * shards in one call. Plain multi-search merges each query on its own; federated
 * multi-search merges all the hits into one list, as Meilisearch's federation does.
 */
export async function multiSearch(
  ctx: ProxyContext,
  body: unknown,
  original: NodeRequest,
): Promise<ReadAnswer> {
  const { scope, query } = await openPlannedRead(ctx, body, plannableMultiSearch, original);
  const { queries, federation } = query;
  const settingsOf = await readSettingsOfIndexes(
    ctx,
    scope,
    queries.map((entry) => entry.indexUid),
  );
  if (federation === null) {
    // A distinct query's walk may need longer shard lists: then the nodes are asked again.
    const resultCount = multiSearchResultCount(queries, settingsOf);
    let shardLimits: ShardLimits = [];
    for (let round = 0; ; round++) {
      const limits = shardLimits;
      const read = await gather(ctx, scope, {
        shards: allShards(scope),
        request: (shards) =>
          multiSearchRequest(planMultiSearchShardQuery(queries, settingsOf, shards, limits)),
        check: (reply) => checkMultiSearchResponse(reply.nodeId, reply.body, resultCount),
        merge: (checked) => checked,
        original,
      });
      const wider = widerMultiSearchShardLimits(queries, settingsOf, read.body, limits);
      if (wider !== null && round < DISTINCT_WIDENINGS) {
        shardLimits = wider;
        continue;
      }
      return {
        body: mergeCheckedMultiSearch(queries, settingsOf, read.body, limits),
        degraded: read.degraded,
      };
    }
  }
  const federated = { federation, queries };
  return gather(ctx, scope, {
    shards: allShards(scope),
    request: (shards) => multiSearchRequest(planFederatedShardQuery(federated, settingsOf, shards)),
    check: (reply) => checkFederatedResponse(reply.nodeId, reply.body, queries.length),
    merge: (checked) => mergeCheckedFederated(federated, settingsOf, checked),
    original,
  });
}
