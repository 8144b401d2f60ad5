import { meiliError } from "@miroir/errors";
import {
  checkSearchResponse,
  type Filter,
  mergeCheckedSimilar,
  NodeAnswerError,
  planShardQuery,
  planSimilarSearch,
  type SimilarQuery,
  withShardFilter,
} from "@miroir/merger";
import { InvalidPrimaryKeyError, shardOf } from "@miroir/router";
import type { ProxyContext } from "../context.js";
import { indexPath, type NodeRequest } from "../node-client/index.js";
import { withMergeSettings } from "../scatter/merge-settings.js";
import { rejectionOf } from "../scatter/original-request.js";
import {
  gather,
  onlyAnswerOf,
  openPlannedRead,
  type ReadAnswer,
} from "../scatter/read-pipeline.js";
import { allShards, type ReadScope } from "../scatter/read-scope.js";
import { isRecord, plannableQuery } from "./plannable-query.js";

const SIMILAR_FIELDS = new Set([
  "id",
  "embedder",
  "offset",
  "limit",
  "filter",
  "attributesToRetrieve",
  "retrieveVectors",
  "showRankingScore",
  "showRankingScoreDetails",
  "showPerformanceDetails",
  "rankingScoreThreshold",
]);

function plannableSimilar(body: unknown): SimilarQuery | null {
  if (!isRecord(body)) return null;
  if (Object.keys(body).some((field) => !SIMILAR_FIELDS.has(field))) return null;
  const { id, embedder, rankingScoreThreshold, ...rest } = body;
  if (typeof id !== "string" && typeof id !== "number") return null;
  if (typeof embedder !== "string") return null;
  if (plannableQuery(rest) === null) return null;
  for (const flag of ["retrieveVectors", "showRankingScore", "showRankingScoreDetails"]) {
    if (rest[flag] !== undefined && typeof rest[flag] !== "boolean") return null;
  }
  const threshold = rankingScoreThreshold ?? undefined;
  if (
    threshold !== undefined &&
    (typeof threshold !== "number" || threshold < 0 || threshold > 1)
  ) {
    return null;
  }
  return body as unknown as SimilarQuery;
}

/** One `/similar` request once read. */
interface Similar {
  readonly indexUid: string;
  readonly query: SimilarQuery;
  /** The target document's shard. */
  readonly shard: number;
  readonly original: NodeRequest;
  /** A tenant token's rule: a target outside it is not found, as on Meilisearch. */
  readonly visibleTo: Filter | null;
}

/**
 * `/similar` over the shards. The target's own shard answers `/similar` first, narrowed to
 * that shard: its errors are a node's, and its total counts the shard's candidates, the
 * target out. The other shards' candidates are counted (`candidateCount`), so the total is
 * a node's. The target's first embedding is read from one replica of its shard, then every
 * shard answers a pure semantic search for it, merged by `mergeCheckedSimilar`
 * (@miroir/merger), which takes the target itself out as Meilisearch does. A target without
 * an embedding has no similar documents. With a tenant token's rule (`visibleTo`), a target
 * the rule hides is not found.
 */
export async function similarDocuments(
  ctx: ProxyContext,
  indexUid: string,
  body: unknown,
  original: NodeRequest,
  visibleTo: Filter | null = null,
): Promise<ReadAnswer> {
  const { scope, query } = await openPlannedRead(
    ctx,
    body,
    plannableSimilar,
    original,
    undefined,
    indexUid,
  );
  let shard: number;
  try {
    shard = shardOf(query.id, scope.topology.shards);
  } catch (error) {
    if (error instanceof InvalidPrimaryKeyError) throw await rejectionOf(ctx, scope, original);
    throw error;
  }
  const similar: Similar = { indexUid, query, shard, original, visibleTo };
  const own = await ownShardAnswer(ctx, scope, similar);
  const others = allShards(scope).filter((other) => other !== shard);
  const [target, elsewhere] = await Promise.all([
    targetEmbedding(ctx, scope, similar),
    candidateCount(ctx, scope, similar, others),
  ]);
  const total = own.body.estimatedTotalHits + elsewhere;
  const path = `${indexPath(indexUid)}/search`;
  return withMergeSettings(ctx, scope, indexUid, (settings) => {
    if (target === undefined) {
      const estimatedTotalHits = Math.min(total, settings.pagination.maxTotalHits);
      return Promise.resolve({ ...own, body: { ...own.body, estimatedTotalHits } });
    }
    const plan = planSimilarSearch(query, target, settings);
    return gather(ctx, scope, {
      shards: allShards(scope),
      request: (shards) => ({
        method: "POST",
        path,
        json: planShardQuery(plan.search, plan.settings, shards).query,
      }),
      check: (reply) => checkSearchResponse(reply.nodeId, reply.body),
      merge: (checked) => mergeCheckedSimilar(query, plan, checked, total),
      original,
    });
  });
}

/** How many documents of `shards` the query's filter lets through: a placeholder count. */
async function candidateCount(
  ctx: ProxyContext,
  scope: ReadScope,
  { indexUid, query, original }: Similar,
  shards: readonly number[],
): Promise<number> {
  if (shards.length === 0) return 0;
  const path = `${indexPath(indexUid)}/search`;
  const { body } = await gather(ctx, scope, {
    shards,
    request: (covered) => ({
      method: "POST",
      path,
      json: { q: "", limit: 0, filter: withShardFilter(query.filter ?? null, covered) },
    }),
    check: (reply) => checkSearchResponse(reply.nodeId, reply.body),
    merge: (checked) => checked.reduce((sum, answer) => sum + (answer.estimatedTotalHits ?? 0), 0),
    original,
  });
  return body;
}

/**
 * The target's first embedding for the query's embedder, or undefined when it has none.
 * Under a tenant rule the target is fetched through the rule, and one the rule hides is
 * `not_found_similar_id`.
 */
async function targetEmbedding(
  ctx: ProxyContext,
  scope: ReadScope,
  { indexUid, query, shard, original, visibleTo }: Similar,
): Promise<number[] | undefined> {
  const documentPath = `${indexPath(indexUid)}/documents`;
  const request: NodeRequest =
    visibleTo === null
      ? {
          method: "GET",
          path: `${documentPath}/${encodeURIComponent(String(query.id))}`,
          query: { retrieveVectors: "true" },
        }
      : {
          method: "POST",
          path: `${documentPath}/fetch`,
          json: { ids: [String(query.id)], filter: visibleTo, retrieveVectors: true, limit: 1 },
        };
  const { body: answer } = await gather(ctx, scope, {
    shards: [shard],
    request: () => request,
    check: (reply) => {
      if (!isRecord(reply.body)) throw new NodeAnswerError(reply.nodeId, "not a document");
      return reply.body;
    },
    merge: onlyAnswerOf<Record<string, unknown>>(shard),
    original,
  });
  const body = visibleTo === null ? answer : firstResult(answer);
  if (body === undefined) {
    throw meiliError("not_found_similar_id", `Document \`${query.id}\` not found.`);
  }
  const vectors = body._vectors;
  const entry = isRecord(vectors) ? vectors[query.embedder] : undefined;
  const embeddings = isRecord(entry) ? entry.embeddings : undefined;
  const first = Array.isArray(embeddings) ? embeddings[0] : undefined;
  if (!Array.isArray(first) || !first.every((value) => typeof value === "number")) {
    return undefined;
  }
  return first as number[];
}

function firstResult(listing: Record<string, unknown>): Record<string, unknown> | undefined {
  const first = Array.isArray(listing.results) ? listing.results[0] : undefined;
  return isRecord(first) ? first : undefined;
}

/** The target shard's own `/similar` answer, narrowed to that shard; errors are a node's. */
function ownShardAnswer(
  ctx: ProxyContext,
  scope: ReadScope,
  { indexUid, query, shard, original }: Similar,
): Promise<ReadAnswer<Record<string, unknown> & { estimatedTotalHits: number }>> {
  const path = `${indexPath(indexUid)}/similar`;
  return gather(ctx, scope, {
    shards: [shard],
    request: () => ({
      method: "POST",
      path,
      json: { ...query, filter: withShardFilter(query.filter ?? null, [shard]) },
    }),
    check: (reply) => {
      const body = reply.body;
      if (
        !isRecord(body) ||
        !Array.isArray(body.hits) ||
        typeof body.estimatedTotalHits !== "number"
      ) {
        throw new NodeAnswerError(reply.nodeId, "not a similar documents answer");
      }
      return body as Record<string, unknown> & { estimatedTotalHits: number };
    },
    merge: onlyAnswerOf(shard),
    original,
  });
}
