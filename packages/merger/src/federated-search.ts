import { distinctFilter } from "./distinct-filter.js";
import { mergeFacetDistributions, mergeFacetStats } from "./facet-merge.js";
import { facetValueOrderOf } from "./facet-value-order.js";
import { clientHitCleaner } from "./hit-cleanup.js";
import { mergedWindow, requestInfo } from "./merge-search.js";
import type { MultiSearchQuery, SettingsOf } from "./multi-search.js";
import {
  checkFacetDistribution,
  checkFacetStats,
  checkHits,
  isCount,
  isRecord,
} from "./node-answer.js";
import { NodeAnswerError } from "./node-answer-error.js";
import { clientWindow, paginationFields, widenedPagination } from "./pagination.js";
import { distinctAttributeOf, mergeUndoFor, planShardQuery } from "./plan-shard-query.js";
import { type RankingKey, type RuleValue, ruleValues } from "./ranking-key.js";
import type {
  FacetDistribution,
  FacetStats,
  FacetValueOrder,
  Hit,
  NodeSearchAnswer,
} from "./types.js";

/** One query of a federated multi-search, with its optional weight. */
export interface FederatedQuery extends MultiSearchQuery {
  federationOptions?: { weight?: number; [option: string]: unknown } | null;
}

export interface Federation {
  offset?: number | null;
  limit?: number | null;
  page?: number | null;
  hitsPerPage?: number | null;
  facetsByIndex?: Record<string, readonly string[]> | null;
  mergeFacets?: { maxValuesPerFacet?: number } | null;
  [option: string]: unknown;
}

export interface FederatedSearchRequest {
  federation: Federation;
  queries: readonly FederatedQuery[];
}

export type FacetsOfIndex = { distribution: FacetDistribution; stats: FacetStats };

export interface MergedFederatedResponse {
  hits: Hit[];
  processingTimeMs: number;
  limit?: number;
  offset?: number;
  estimatedTotalHits?: number;
  hitsPerPage?: number;
  page?: number;
  totalPages?: number;
  totalHits?: number;
  semanticHitCount?: number;
  facetDistribution?: FacetDistribution;
  facetStats?: FacetStats;
  facetsByIndex?: Record<string, FacetsOfIndex>;
  requestUid?: string;
  performanceDetails?: unknown;
}

// Federation has no index of its own, hence no maxTotalHits: the window is never clamped.
const UNCAPPED = Number.MAX_SAFE_INTEGER;

/**
 * One query of the federated request a node receives: planned like a single search, but
 * without a window of its own, since Meilisearch refuses per-query pagination inside a
 * federation (`invalid_multi_search_query_pagination`).
 */
function federatedShardQuery(
  query: FederatedQuery,
  settingsOf: SettingsOf,
  shards: readonly number[],
): FederatedQuery {
  const { offset, limit, page, hitsPerPage, ...planned } = planShardQuery(
    query,
    settingsOf(query.indexUid),
    shards,
  ).query;
  return { ...planned, indexUid: query.indexUid };
}

/**
 * The federated multi-search one covering node receives for `shards`: the window, widened
 * to everything up to the client's last hit, is in `federation` alone, and facets come
 * back by index even when the client asked them merged.
 */
export function planFederatedShardQuery(
  request: FederatedSearchRequest,
  settingsOf: SettingsOf,
  shards: readonly number[],
): FederatedSearchRequest {
  // Facets are asked index by index: each index is cut to its own maxValuesPerFacet
  // before `mergeFacets` sums them, which needs every index's complete values.
  const { offset, limit, page, hitsPerPage, mergeFacets, ...federation } = request.federation;
  return {
    federation: {
      ...federation,
      ...widenedPagination(clientWindow(request.federation, UNCAPPED)),
    },
    queries: request.queries.map((query) => federatedShardQuery(query, settingsOf, shards)),
  };
}

/** One node's federated multi-search answer once checked. */
export interface FederatedBody {
  hits: Hit[];
  processingTimeMs: number;
  total: number;
  semanticHitCount?: number;
  facetDistribution?: FacetDistribution;
  facetStats?: FacetStats;
  facetsByIndex?: Record<string, { distribution?: FacetDistribution; stats?: FacetStats }>;
  requestUid?: string;
  performanceDetails?: unknown;
}

/** Checks one node's federated answer to `queryCount` queries; anything malformed is that node's failure. */
export function checkFederatedResponse(
  node: string,
  body: unknown,
  queryCount: number,
): FederatedBody {
  if (!isRecord(body)) throw new NodeAnswerError(node, "the body is not a JSON object");
  const hits = checkHits(node, body.hits, "hits");
  for (const hit of hits) {
    const federation = hit._federation;
    if (
      !isRecord(federation) ||
      !isCount(federation.queriesPosition) ||
      federation.queriesPosition >= queryCount ||
      typeof federation.weightedRankingScore !== "number"
    ) {
      throw new NodeAnswerError(node, "a hit has no valid `_federation`");
    }
  }
  const total = isCount(body.totalHits) ? body.totalHits : body.estimatedTotalHits;
  if (!isCount(total) || typeof body.processingTimeMs !== "number") {
    throw new NodeAnswerError(node, "not a federated search response");
  }
  const checked: FederatedBody = { hits, processingTimeMs: body.processingTimeMs, total };
  if (isCount(body.semanticHitCount)) checked.semanticHitCount = body.semanticHitCount;
  if (typeof body.requestUid === "string") checked.requestUid = body.requestUid;
  if (body.performanceDetails !== undefined) checked.performanceDetails = body.performanceDetails;
  if (body.facetDistribution !== undefined) {
    checked.facetDistribution = checkFacetDistribution(node, body.facetDistribution);
  }
  if (body.facetStats !== undefined) checked.facetStats = checkFacetStats(node, body.facetStats);
  if (body.facetsByIndex !== undefined) {
    if (!isRecord(body.facetsByIndex)) throw new NodeAnswerError(node, "bad `facetsByIndex`");
    const byIndex: NonNullable<FederatedBody["facetsByIndex"]> = {};
    for (const [index, facets] of Object.entries(body.facetsByIndex)) {
      if (!isRecord(facets)) throw new NodeAnswerError(node, `bad \`facetsByIndex.${index}\``);
      byIndex[index] = {
        distribution: checkFacetDistribution(node, facets.distribution ?? {}),
        stats: checkFacetStats(node, facets.stats ?? {}),
      };
    }
    checked.facetsByIndex = byIndex;
  }
  return checked;
}

function positionOf(hit: Hit): number {
  return (hit._federation as { queriesPosition: number }).queriesPosition;
}

/**
 * Meilisearch's federated order. Without sort rules the weighted ranking score is exactly
 * what Meilisearch compares; with sort rules the details are compared rule by rule, each
 * relevance score multiplied by its query's weight.
 */
function federatedKeyReader(
  request: FederatedSearchRequest,
  settingsOf: SettingsOf,
): (hit: Hit) => RankingKey {
  const primaryKeys = request.queries.map((query) => settingsOf(query.indexUid).primaryKey);
  const weights = request.queries.map((query) => query.federationOptions?.weight ?? 1);
  return (hit) => {
    const position = positionOf(hit);
    const weighted = (hit._federation as { weightedRankingScore: number }).weightedRankingScore;
    const primaryKey = primaryKeys[position];
    return {
      rules: federatedRules(hit._rankingScoreDetails, weighted, weights[position] ?? 1),
      score: weighted,
      primaryKey: primaryKey ? hit[primaryKey] : undefined,
    };
  };
}

/**
 * Meilisearch's federation compares a hit's rules with consecutive relevance rules folded
 * into one weighted score, and sort rules (a query's `sort`, an index's custom `price:asc`
 * rule) by value. When the relevance rules form one run, that run's score is the weighted
 * ranking score; otherwise each relevance rule is compared weighted on its own.
 */
function federatedRules(details: unknown, weighted: number, weight: number): RuleValue[] {
  const rules = ruleValues(details, 1);
  const folded: RuleValue[] = [];
  let runs = 0;
  for (const rule of rules) {
    if (typeof rule !== "number") folded.push(rule);
    else if (typeof folded[folded.length - 1] !== "number" || folded.length === 0) {
      runs++;
      folded.push(weighted);
    }
  }
  if (runs <= 1) return folded.length === 0 ? [weighted] : folded;
  return ruleValues(details, weight);
}

/**
 * Facets by index as Meilisearch's federation gives them: each index's values as one node
 * shows them, then sorted again — alphabetically by the written value, or most frequent
 * first — and cut to the index's `maxValuesPerFacet`. Each node answered with every value
 * it holds. The federation does not say how many documents each query matched, so the
 * federation's total stands for every index's (see docs/compatibility.md).
 */
function mergedFacetsByIndex(
  settingsOf: SettingsOf,
  bodies: readonly FederatedBody[],
  candidates: number,
): Record<string, FacetsOfIndex> {
  const indexes = new Set<string>();
  for (const body of bodies) for (const index in body.facetsByIndex) indexes.add(index);
  const merged: Record<string, FacetsOfIndex> = {};
  for (const index of [...indexes].sort()) {
    const settings = settingsOf(index);
    const perNode = bodies.map((body) => body.facetsByIndex?.[index]);
    const distribution = mergeFacetDistributions(
      perNode.map((facets) => facets?.distribution),
      (facet) => facetValueOrderOf(settings, facet),
      settings.faceting.maxValuesPerFacet,
      candidates,
    );
    for (const [facet, counts] of Object.entries(distribution)) {
      const entries = Object.entries(counts);
      if (facetValueOrderOf(settings, facet) === "count") entries.sort((a, b) => b[1] - a[1]);
      else entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      distribution[facet] = Object.fromEntries(
        entries.slice(0, settings.faceting.maxValuesPerFacet),
      );
    }
    merged[index] = {
      distribution,
      stats: mergeFacetStats(perNode.map((facets) => facets?.stats)),
    };
  }
  return merged;
}

/**
 * `mergeFacets` as Meilisearch does it: every index's distribution (already cut to that
 * index's `maxValuesPerFacet`) summed value by value as written, then ordered by the facet's
 * order in the first index that lists it (alphabetical: by the written value; count: most
 * frequent first) and cut to `mergeFacets.maxValuesPerFacet` when given.
 */
function mergedAcrossIndexes(
  byIndex: Record<string, FacetsOfIndex>,
  federation: Federation,
  settingsOf: SettingsOf,
): { distribution: FacetDistribution; stats: FacetStats } {
  const sums = new Map<string, Map<string, number>>();
  const orders = new Map<string, FacetValueOrder>();
  const indexOrder = Object.keys(federation.facetsByIndex ?? {});
  for (const index of new Set([...indexOrder, ...Object.keys(byIndex)])) {
    const facets = byIndex[index];
    if (facets === undefined) continue;
    for (const [facet, counts] of Object.entries(facets.distribution)) {
      if (!orders.has(facet)) orders.set(facet, facetValueOrderOf(settingsOf(index), facet));
      const sum = sums.get(facet) ?? new Map<string, number>();
      sums.set(facet, sum);
      for (const [value, count] of Object.entries(counts)) {
        sum.set(value, (sum.get(value) ?? 0) + count);
      }
    }
  }
  const max = federation.mergeFacets?.maxValuesPerFacet;
  const distribution: FacetDistribution = {};
  for (const facet of [...sums.keys()].sort()) {
    const entries = [...(sums.get(facet) as Map<string, number>)];
    if (orders.get(facet) === "count") entries.sort((a, b) => b[1] - a[1]);
    else entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    distribution[facet] = Object.fromEntries(max === undefined ? entries : entries.slice(0, max));
  }
  return {
    distribution,
    stats: mergeFacetStats(Object.values(byIndex).map((facets) => facets.stats)),
  };
}

/**
 * Merges node answers to a federated multi-search (each node answered the request that
 * `planFederatedShardQuery` made for it) into Meilisearch's federated response: one hit
 * list with `_federation` metadata, totals summed, facets by index or merged.
 */
export function mergeFederated(
  request: FederatedSearchRequest,
  settingsOf: SettingsOf,
  answers: readonly NodeSearchAnswer[],
): MergedFederatedResponse {
  const bodies = answers.map((answer) =>
    checkFederatedResponse(answer.node, answer.body, request.queries.length),
  );
  return mergeCheckedFederated(request, settingsOf, bodies);
}

/** `mergeFederated` over answers already checked by `checkFederatedResponse`. */
export function mergeCheckedFederated(
  request: FederatedSearchRequest,
  settingsOf: SettingsOf,
  bodies: readonly FederatedBody[],
): MergedFederatedResponse {
  const { federation, queries } = request;
  const window = clientWindow(federation, UNCAPPED);
  const cleaners = queries.map((query) =>
    clientHitCleaner(mergeUndoFor(query, settingsOf(query.indexUid))),
  );
  const distincts = queries.map((query) => {
    const attribute = distinctAttributeOf(query, settingsOf(query.indexUid));
    return attribute === null ? null : distinctFilter(attribute);
  });
  const keep = (hit: Hit) => distincts[positionOf(hit)]?.(hit) ?? true;
  const hits = mergedWindow(
    bodies.map((body) => body.hits),
    federatedKeyReader(request, settingsOf),
    window.offset,
    window.limit,
    keep,
  ).map((hit) => (cleaners[positionOf(hit)] as (hit: Hit) => Hit)(hit));

  const response: MergedFederatedResponse = {
    hits,
    processingTimeMs: Math.max(0, ...bodies.map((body) => body.processingTimeMs)),
    ...paginationFields(
      window,
      bodies.reduce((sum, body) => sum + body.total, 0),
    ),
  };
  const candidates = bodies.reduce((sum, body) => sum + body.total, 0);
  if (bodies.some((body) => body.facetsByIndex !== undefined)) {
    const byIndex = mergedFacetsByIndex(settingsOf, bodies, candidates);
    if (federation.mergeFacets) {
      const across = mergedAcrossIndexes(byIndex, federation, settingsOf);
      response.facetDistribution = across.distribution;
      response.facetStats = across.stats;
    } else {
      response.facetsByIndex = byIndex;
    }
  }
  const filtered = queries.some((query) => query.filter !== undefined && query.filter !== null);
  Object.assign(response, requestInfo(bodies, filtered));
  if (bodies.some((body) => body.semanticHitCount !== undefined)) {
    response.semanticHitCount = bodies.reduce((sum, body) => sum + (body.semanticHitCount ?? 0), 0);
  }
  return response;
}
