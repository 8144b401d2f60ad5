import {
  checkFederatedResponse,
  checkMultiSearchResponse,
  type FederatedQuery,
  type Federation,
  mergeCheckedFederated,
  mergeCheckedMultiSearch,
  planFederatedShardQuery,
  planMultiSearchShardQuery,
} from "@miroir/merger";
import type { ProxyContext } from "../../context.js";
import { readSettingsOfIndexes } from "../../scatter/merge-settings.js";
import { type OriginalRequest, rejectionOf } from "../../scatter/original-request.js";
import type { ReadAnswer } from "../../scatter/read-answer.js";
import { allShards, openRead } from "../../scatter/read-scope.js";
import { scatter } from "../../scatter/scatter.js";
import { degradedHeaders } from "../../scatter/unavailable-shards.js";
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

/**
 * `POST /multi-search` over one covering set: every node answers all the queries for its
 * shards in one call. Plain multi-search merges each query on its own; federated
 * multi-search merges all the hits into one list, as Meilisearch's federation does.
 */
export async function shardedMultiSearch(
  ctx: ProxyContext,
  body: unknown,
  original: OriginalRequest,
): Promise<ReadAnswer> {
  const scope = openRead(ctx);
  const request = plannableMultiSearch(body);
  if (request === null) throw await rejectionOf(ctx, scope, original);
  const { queries, federation } = request;
  const settingsOf = await readSettingsOfIndexes(
    ctx,
    scope,
    queries.map((query) => query.indexUid),
  );
  const call =
    (planFor: (shards: readonly number[]) => unknown) =>
    (nodeId: string, shards: readonly number[], timeoutMs: number) =>
      ctx.nodes.call(nodeId, {
        method: "POST",
        path: "/multi-search",
        json: planFor(shards),
        timeoutMs,
      });
  if (federation === null) {
    const outcome = await scatter(ctx, scope, {
      shards: allShards(scope),
      call: call((shards) => planMultiSearchShardQuery(queries, settingsOf, shards)),
      check: (reply) => checkMultiSearchResponse(reply.nodeId, reply.body, queries.length),
      original,
    });
    const checked = outcome.answers.map((answer) => answer.checked);
    return {
      body: mergeCheckedMultiSearch(queries, settingsOf, checked),
      headers: degradedHeaders(scope, outcome.lost),
    };
  }
  const federated = { federation, queries };
  const outcome = await scatter(ctx, scope, {
    shards: allShards(scope),
    call: call((shards) => planFederatedShardQuery(federated, settingsOf, shards)),
    check: (reply) => checkFederatedResponse(reply.nodeId, reply.body, queries.length),
    original,
  });
  const checked = outcome.answers.map((answer) => answer.checked);
  return {
    body: mergeCheckedFederated(federated, settingsOf, checked),
    headers: degradedHeaders(scope, outcome.lost),
  };
}
