import { mergeCheckedSearch } from "./merge-search.js";
import type { Filter, Hit, MergeSettings, SearchQuery, SearchResponseBody } from "./types.js";

const DEFAULT_LIMIT = 20;

/** `POST /indexes/{uid}/similar` parameters, in the shapes the plan rewrites. */
export interface SimilarQuery {
  id: string | number;
  embedder: string;
  offset?: number;
  limit?: number;
  filter?: Filter | null;
  attributesToRetrieve?: readonly string[];
  retrieveVectors?: boolean;
  showRankingScore?: boolean;
  showRankingScoreDetails?: boolean;
  rankingScoreThreshold?: number;
}

/** What every shard answers for `/similar`, and the settings its answers merge with. */
export interface SimilarSearchPlan {
  /** A pure semantic search for the target's vector: send it through `planShardQuery`. */
  readonly search: SearchQuery;
  /** The index's settings with `maxTotalHits` one higher (the target may take a place). */
  readonly settings: MergeSettings;
  /** The primary key the merge removes again (the client's fields did not name it), or null. */
  readonly addedKey: string | null;
}

/** `/similar` as Meilisearch answers it, keys in its order. */
export interface MergedSimilarResponse {
  hits: Hit[];
  id: string;
  processingTimeMs: number;
  limit: number;
  offset: number;
  estimatedTotalHits: number;
}

/**
 * The search that replaces `/similar` over shards: a semantic search (ratio 1) for the
 * target's first embedding, so a document's score is its similarity to the target alone
 * and merging by score is exact. One more hit than the window is asked for, since the
 * target itself may be among them and Meilisearch leaves it out; the primary key is
 * retrieved so the merge can tell the target.
 */
export function planSimilarSearch(
  query: SimilarQuery,
  target: readonly number[],
  settings: MergeSettings,
): SimilarSearchPlan {
  const offset = query.offset ?? 0;
  const limit = query.limit ?? DEFAULT_LIMIT;
  const primaryKey = settings.primaryKey ?? "id";
  const retrieved = query.attributesToRetrieve;
  const keyAdded =
    retrieved !== undefined && !retrieved.includes("*") && !retrieved.includes(primaryKey);
  const search: SearchQuery = {
    vector: [...target],
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
  return {
    search,
    settings: { ...settings, pagination: { maxTotalHits: settings.pagination.maxTotalHits + 1 } },
    addedKey: keyAdded ? primaryKey : null,
  };
}

/**
 * Merges the shards' answers to the plan's search into `/similar`'s answer: the target is
 * taken out of the merged list, the client's window is cut after that (capped by the
 * index's `maxTotalHits`), scores show only when asked, and the total leaves the target
 * out too. A node's total for `/similar` counts every document its filter lets through,
 * while a shard's semantic search counts only the neighbours it retrieved: `total`, the
 * documents of every shard that the filter lets through with the target out, is then the
 * node's figure (capped like it). Without it the shards' own totals are summed.
 */
export function mergeCheckedSimilar(
  query: SimilarQuery,
  plan: SimilarSearchPlan,
  bodies: readonly SearchResponseBody[],
  total?: number,
): MergedSimilarResponse {
  const offset = query.offset ?? 0;
  const limit = query.limit ?? DEFAULT_LIMIT;
  // The plan widened the index's cap by one for the target.
  const maxTotalHits = plan.settings.pagination.maxTotalHits - 1;
  const primaryKey = plan.settings.primaryKey ?? "id";
  const merged = mergeCheckedSearch(plan.search, plan.settings, bodies);
  const targetId = String(query.id);
  const others = merged.hits.filter((hit) => String(hit[primaryKey]) !== targetId);
  const targetMatched = others.length < merged.hits.length ? 1 : 0;
  const end = Math.min(offset + limit, maxTotalHits);
  const hits = others
    .slice(Math.min(offset, end), end)
    .map((hit) => similarHit(hit, query, plan.addedKey));
  return {
    hits,
    id: targetId,
    processingTimeMs: merged.processingTimeMs,
    limit,
    offset,
    estimatedTotalHits: Math.min(
      total ?? (merged.estimatedTotalHits ?? 0) - targetMatched,
      maxTotalHits,
    ),
  };
}

function similarHit(hit: Hit, query: SimilarQuery, addedKey: string | null): Hit {
  const visible = { ...hit };
  if (query.showRankingScore !== true) delete visible._rankingScore;
  if (query.showRankingScoreDetails !== true) delete visible._rankingScoreDetails;
  if (addedKey !== null) delete visible[addedKey];
  return visible;
}
