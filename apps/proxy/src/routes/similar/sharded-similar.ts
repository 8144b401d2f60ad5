import {
  checkSearchResponse,
  type Hit,
  type MergeSettings,
  mergeCheckedSearch,
  NodeAnswerError,
  planShardQuery,
  type SearchQuery,
} from "@miroir/merger";
import { InvalidPrimaryKeyError, shardOf } from "@miroir/router";
import type { ProxyContext } from "../../context.js";
import { withMergeSettings } from "../../scatter/merge-settings.js";
import { type OriginalRequest, rejectionOf } from "../../scatter/original-request.js";
import type { ReadAnswer } from "../../scatter/read-answer.js";
import {
  allShards,
  openRead,
  type ReadScope,
  shardsUnavailable,
} from "../../scatter/read-scope.js";
import { scatter } from "../../scatter/scatter.js";
import { degradedHeaders } from "../../scatter/unavailable-shards.js";
import { indexPath } from "../index-uid.js";
import { isRecord, plannableQuery } from "../search/plannable-query.js";

const DEFAULT_LIMIT = 20;

/** A `/similar` request whose parameters have the shapes the plan rewrites. */
interface SimilarQuery {
  id: string | number;
  embedder: string;
  offset?: number;
  limit?: number;
  filter?: SearchQuery["filter"];
  attributesToRetrieve?: string[];
  retrieveVectors?: boolean;
  showRankingScore?: boolean;
  showRankingScoreDetails?: boolean;
  rankingScoreThreshold?: number;
}

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

/**
 * `/similar` over the shards. The target's first embedding is read from one replica of
 * its shard, then every shard answers a pure semantic search for it (a document's score
 * is its similarity to the target alone, so merging by score is exact); the target
 * itself is taken out of the merged list, as Meilisearch leaves it out, and the window
 * is cut after that. A target without an embedding is answered by its own shard.
 */
export async function shardedSimilar(
  ctx: ProxyContext,
  indexUid: string,
  body: unknown,
  original: OriginalRequest,
): Promise<ReadAnswer> {
  const scope = openRead(ctx);
  const query = plannableSimilar(body);
  if (query === null) throw await rejectionOf(ctx, scope, original);
  let shard: number;
  try {
    shard = shardOf(query.id, scope.topology.shards);
  } catch (error) {
    if (error instanceof InvalidPrimaryKeyError) throw await rejectionOf(ctx, scope, original);
    throw error;
  }
  const target = await targetEmbedding(ctx, scope, indexUid, query, shard, original);
  if (target === undefined) return ownShardAnswer(ctx, scope, indexUid, query, shard, original);
  return withMergeSettings(ctx, scope, indexUid, (settings) =>
    similarOverShards(ctx, scope, { indexUid, query, target, settings }, original),
  );
}

async function targetEmbedding(
  ctx: ProxyContext,
  scope: ReadScope,
  indexUid: string,
  query: SimilarQuery,
  shard: number,
  original: OriginalRequest,
): Promise<number[] | undefined> {
  const path = `${indexPath(indexUid)}/documents/${encodeURIComponent(String(query.id))}`;
  const outcome = await scatter(ctx, scope, {
    shards: [shard],
    call: (nodeId, _shards, timeoutMs) =>
      ctx.nodes.call(nodeId, {
        method: "GET",
        path,
        query: { retrieveVectors: "true" },
        timeoutMs,
      }),
    check: (reply) => {
      if (!isRecord(reply.body)) throw new NodeAnswerError(reply.nodeId, "not a document");
      return reply.body;
    },
    original,
  });
  const [answer] = outcome.answers;
  if (answer === undefined) throw shardsUnavailable(`shard ${shard}`);
  const vectors = answer.checked._vectors;
  const entry = isRecord(vectors) ? vectors[query.embedder] : undefined;
  const embeddings = isRecord(entry) ? entry.embeddings : undefined;
  const first = Array.isArray(embeddings) ? embeddings[0] : undefined;
  if (!Array.isArray(first) || !first.every((value) => typeof value === "number")) {
    return undefined;
  }
  return first as number[];
}

/** A target without an embedding: its shard's own answer (no hits), errors included. */
async function ownShardAnswer(
  ctx: ProxyContext,
  scope: ReadScope,
  indexUid: string,
  query: SimilarQuery,
  shard: number,
  original: OriginalRequest,
): Promise<ReadAnswer> {
  const path = `${indexPath(indexUid)}/similar`;
  const outcome = await scatter(ctx, scope, {
    shards: [shard],
    call: (nodeId, _shards, timeoutMs) =>
      ctx.nodes.call(nodeId, { method: "POST", path, json: query, timeoutMs }),
    check: (reply) => {
      if (!isRecord(reply.body) || !Array.isArray(reply.body.hits)) {
        throw new NodeAnswerError(reply.nodeId, "not a similar documents answer");
      }
    },
    original,
  });
  const [answer] = outcome.answers;
  if (answer === undefined) throw shardsUnavailable(`shard ${shard}`);
  return { body: answer.body, headers: degradedHeaders(scope, outcome.lost) };
}

async function similarOverShards(
  ctx: ProxyContext,
  scope: ReadScope,
  request: {
    indexUid: string;
    query: SimilarQuery;
    target: number[];
    settings: MergeSettings;
  },
  original: OriginalRequest,
): Promise<ReadAnswer> {
  const { query, settings } = request;
  const offset = query.offset ?? 0;
  const limit = query.limit ?? DEFAULT_LIMIT;
  const maxTotalHits = settings.pagination.maxTotalHits;
  const primaryKey = settings.primaryKey ?? "id";
  const retrieved = query.attributesToRetrieve;
  const keyAdded =
    retrieved !== undefined && !retrieved.includes("*") && !retrieved.includes(primaryKey);
  // One more than the window: the target may be among the hits and is taken out.
  const semantic: SearchQuery = {
    vector: request.target,
    hybrid: { embedder: query.embedder, semanticRatio: 1 },
    offset: 0,
    limit: offset + limit + 1,
    filter: query.filter ?? null,
    showRankingScore: true,
    showRankingScoreDetails: true,
    ...(retrieved === undefined
      ? {}
      : { attributesToRetrieve: keyAdded ? [...retrieved, primaryKey] : retrieved }),
    ...(query.retrieveVectors === undefined ? {} : { retrieveVectors: query.retrieveVectors }),
    ...(query.rankingScoreThreshold === undefined
      ? {}
      : { rankingScoreThreshold: query.rankingScoreThreshold }),
  };
  const widened: MergeSettings = { ...settings, pagination: { maxTotalHits: maxTotalHits + 1 } };
  const path = `${indexPath(request.indexUid)}/search`;
  const outcome = await scatter(ctx, scope, {
    shards: allShards(scope),
    call: (nodeId, shards, timeoutMs) =>
      ctx.nodes.call(nodeId, {
        method: "POST",
        path,
        json: planShardQuery(semantic, widened, shards).query,
        timeoutMs,
      }),
    check: (reply) => checkSearchResponse(reply.nodeId, reply.body),
    original,
  });
  const checked = outcome.answers.map((answer) => answer.checked);
  const merged = mergeCheckedSearch(semantic, widened, checked);
  const targetId = String(query.id);
  const others = merged.hits.filter((hit) => String(hit[primaryKey]) !== targetId);
  const targetMatched = others.length < merged.hits.length ? 1 : 0;
  const end = Math.min(offset + limit, maxTotalHits);
  const hits = others
    .slice(Math.min(offset, end), end)
    .map((hit) => clientHit(hit, query, keyAdded ? primaryKey : null));
  return {
    body: {
      hits,
      id: targetId,
      processingTimeMs: merged.processingTimeMs,
      limit,
      offset,
      estimatedTotalHits: Math.min((merged.estimatedTotalHits ?? 0) - targetMatched, maxTotalHits),
    },
    headers: degradedHeaders(scope, outcome.lost),
  };
}

function clientHit(hit: Hit, query: SimilarQuery, addedKey: string | null): Hit {
  const visible = { ...hit };
  if (query.showRankingScore !== true) delete visible._rankingScore;
  if (query.showRankingScoreDetails !== true) delete visible._rankingScoreDetails;
  if (addedKey !== null) delete visible[addedKey];
  return visible;
}
