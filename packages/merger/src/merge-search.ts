import { distinctFilter } from "./distinct-filter.js";
import { type DistinctCounts, distinctTotal, walkDistinct } from "./distinct-totals.js";
import { mergeFacetDistributions, mergeFacetStats } from "./facet-merge.js";
import { facetValueOrderOf } from "./facet-value-order.js";
import { clientHitCleaner } from "./hit-cleanup.js";
import { checkSearchResponse } from "./node-answer.js";
import { type ClientWindow, clientWindow, paginationFields } from "./pagination.js";
import { distinctAttributeOf, mergeUndoFor } from "./plan-shard-query.js";
import { type RankingKey, ruleValues, ruleValuesInto } from "./ranking-key.js";
import { compareRankingKeys } from "./ranking-order.js";
import type {
  Hit,
  MergedSearchResponse,
  MergeSettings,
  NodeSearchAnswer,
  SearchQuery,
  SearchResponseBody,
} from "./types.js";

const NO_RULES: RankingKey["rules"] = [];

/**
 * A function reading the ranking key of a hit of one query. A hybrid search orders its
 * keyword and semantic hits by the global score alone, so its details are not compared.
 */
function rankingKeyReader(query: SearchQuery, primaryKey: string | null): (hit: Hit) => RankingKey {
  const hybrid = query.hybrid !== undefined && query.hybrid !== null;
  return (hit) => ({
    rules: hybrid ? NO_RULES : ruleValues(hit._rankingScoreDetails),
    score: hit._rankingScore as number,
    primaryKey: primaryKey === null ? undefined : hit[primaryKey],
  });
}

/**
 * `rankingKeyReader` for `mergedWindow`, which holds one key per list (its head's) at a
 * time: each list's key is rewritten in place, so reading a hit's key allocates nothing.
 */
function headKeyReader(
  query: SearchQuery,
  primaryKey: string | null,
  lists: number,
): (hit: Hit, list: number) => RankingKey {
  const hybrid = query.hybrid !== undefined && query.hybrid !== null;
  const keys: RankingKey[] = [];
  for (let list = 0; list < lists; list++) keys.push({ rules: [], score: 0, primaryKey: 0 });
  return (hit, list) => {
    const key = keys[list] as RankingKey;
    if (!hybrid) ruleValuesInto(hit._rankingScoreDetails, 1, key.rules);
    key.score = hit._rankingScore as number;
    key.primaryKey = primaryKey === null ? undefined : hit[primaryKey];
    return key;
  };
}

/**
 * The hits a single node holding every document would return for the window
 * [offset, offset + limit): a k-way merge of the ordered node lists, deduplicated on the
 * distinct attribute, stopped as soon as the window is full. Only the lists' heads have a
 * key at any time (a binary heap of list numbers, ties to the lower list), so `keyOf` may
 * rewrite one key object per list. The merge is written out here rather than through
 * `KWayMerge`, so that the comparison and the key reader are direct calls the compiler
 * can inline: this loop runs once per hit of every search.
 */
export function mergedWindow(
  lists: readonly (readonly Hit[])[],
  keyOf: (hit: Hit, list: number) => RankingKey,
  offset: number,
  limit: number,
  keep: ((hit: Hit) => boolean) | null,
): Hit[] {
  const window: Hit[] = [];
  if (limit <= 0) return window;
  const keys: RankingKey[] = [];
  const positions: number[] = [];
  const heap: number[] = [];
  for (let list = 0; list < lists.length; list++) {
    const hits = lists[list] as readonly Hit[];
    positions.push(0);
    keys.push(hits.length === 0 ? EMPTY_KEY : keyOf(hits[0] as Hit, list));
    if (hits.length === 0) continue;
    heap.push(list);
    for (let child = heap.length - 1; child > 0; ) {
      const parent = (child - 1) >> 1;
      if (!before(keys, heap[child] as number, heap[parent] as number)) break;
      const swap = heap[child] as number;
      heap[child] = heap[parent] as number;
      heap[parent] = swap;
      child = parent;
    }
  }
  let position = 0;
  while (heap.length > 0) {
    const list = heap[0] as number;
    const hits = lists[list] as readonly Hit[];
    const at = positions[list] as number;
    const hit = hits[at] as Hit;
    if (at + 1 < hits.length) {
      positions[list] = at + 1;
      keys[list] = keyOf(hits[at + 1] as Hit, list);
    } else {
      const last = heap.pop() as number;
      if (heap.length > 0) heap[0] = last;
    }
    siftDown(heap, keys);
    if (keep !== null && !keep(hit)) continue;
    if (position >= offset) {
      window.push(hit);
      if (window.length === limit) break;
    }
    position++;
  }
  return window;
}

const EMPTY_KEY: RankingKey = { rules: [], score: 0, primaryKey: undefined };

/** Whether list `a`'s head ranks before list `b`'s (equal heads: the lower list first). */
function before(keys: readonly RankingKey[], a: number, b: number): boolean {
  const order = compareRankingKeys(keys[a] as RankingKey, keys[b] as RankingKey);
  return order < 0 || (order === 0 && a < b);
}

function siftDown(heap: number[], keys: readonly RankingKey[]): void {
  const size = heap.length;
  let parent = 0;
  for (;;) {
    const left = 2 * parent + 1;
    if (left >= size) return;
    const right = left + 1;
    let best = parent;
    if (before(keys, heap[left] as number, heap[best] as number)) best = left;
    if (right < size && before(keys, heap[right] as number, heap[best] as number)) best = right;
    if (best === parent) return;
    const swap = heap[best] as number;
    heap[best] = heap[parent] as number;
    heap[parent] = swap;
    parent = best;
  }
}

function sum(values: readonly (number | undefined)[]): number {
  let total = 0;
  for (const value of values) total += value ?? 0;
  return total;
}

/** The step a node reports for evaluating a filter (Miroir's shard filter, on every shard). */
const FILTER_STEP = / > evaluate filter$/;

/**
 * The slowest node's timings as the client's request would show them: without a filter of
 * its own, the step evaluating Miroir's shard filter is left out.
 */
function clientTimings(details: unknown, clientFiltered: boolean): unknown {
  if (clientFiltered || typeof details !== "object" || details === null) return details;
  return Object.fromEntries(Object.entries(details).filter(([step]) => !FILTER_STEP.test(step)));
}

/**
 * What a node appends to a search answer about the request itself: the uid it gave the
 * request (one node's uid names the merged answer, as the node names its own) and, when
 * asked for, the timings of the slowest node, like `processingTimeMs`.
 */
export function requestInfo(
  bodies: readonly {
    requestUid?: string;
    performanceDetails?: unknown;
    processingTimeMs: number;
  }[],
  clientFiltered = true,
): { requestUid?: string; performanceDetails?: unknown } {
  const info: { requestUid?: string; performanceDetails?: unknown } = {};
  const named = bodies.find((body) => body.requestUid !== undefined);
  if (named?.requestUid !== undefined) info.requestUid = named.requestUid;
  let slowest: { performanceDetails?: unknown; processingTimeMs: number } | undefined;
  for (const body of bodies) {
    if (body.performanceDetails === undefined) continue;
    if (slowest === undefined || body.processingTimeMs > slowest.processingTimeMs) slowest = body;
  }
  if (slowest !== undefined) {
    info.performanceDetails = clientTimings(slowest.performanceDetails, clientFiltered);
  }
  return info;
}

/**
 * What the shards counted for a distinct search (`distinctCountQuery`), and how many hits
 * each shard was asked for: the merge then reports the total one node would.
 */
export interface DistinctCounting {
  readonly counts: readonly DistinctCounts[];
  readonly shardLimit: number;
}

/**
 * The attribute whose distinct totals Miroir counts exactly for this query, or null. A
 * ranking-score threshold or a semantic part drops candidates during the node's walk, which
 * shard counts cannot see; the index's attribute must be filterable to be counted by facet.
 */
export function countedDistinctAttribute(
  query: SearchQuery,
  settings: MergeSettings,
): string | null {
  const attribute = distinctAttributeOf(query, settings);
  if (attribute === null) return null;
  const absent = (value: unknown) => value === undefined || value === null;
  if (!absent(query.rankingScoreThreshold) || !absent(query.hybrid) || !absent(query.vector)) {
    return null;
  }
  if (typeof query.distinct !== "string" && settings.distinctAttributeFilterable !== true) {
    return null;
  }
  return attribute;
}

/**
 * A larger number of hits to ask each shard when its list ended inside the last ranking
 * bucket the node's distinct walk reads (values there may be missing), else null.
 */
export function widerDistinctShardLimit(
  clientQuery: SearchQuery,
  settings: MergeSettings,
  bodies: readonly SearchResponseBody[],
  shardLimit: number,
): number | null {
  const attribute = countedDistinctAttribute(clientQuery, settings);
  const window = clientWindow(clientQuery, settings.pagination.maxTotalHits);
  if (attribute === null || window.mode === "page") return null;
  const keyOf = rankingKeyReader(clientQuery, settings.primaryKey);
  return walkDistinct(
    bodies.map((body) => body.hits),
    keyOf,
    attribute,
    window.offset + window.limit,
    shardLimit,
    settings.pagination.maxTotalHits,
  ).widerShardLimit;
}

function totalOf(
  clientQuery: SearchQuery,
  settings: MergeSettings,
  bodies: readonly SearchResponseBody[],
  window: ClientWindow,
  counting: DistinctCounting | undefined,
): number {
  const summed = sum(bodies.map((body) => body.totalHits ?? body.estimatedTotalHits));
  const attribute = countedDistinctAttribute(clientQuery, settings);
  if (counting === undefined || attribute === null) return summed;
  const seen =
    window.mode === "page"
      ? new Set<string>()
      : walkDistinct(
          bodies.map((body) => body.hits),
          rankingKeyReader(clientQuery, settings.primaryKey),
          attribute,
          window.offset + window.limit,
          counting.shardLimit,
          settings.pagination.maxTotalHits,
        ).seen;
  return distinctTotal(window, counting.counts, seen);
}

/** Merges already checked node answers to one search (also used per query by multi-search). */
export function mergeCheckedSearch(
  clientQuery: SearchQuery,
  settings: MergeSettings,
  bodies: readonly SearchResponseBody[],
  counting?: DistinctCounting,
): MergedSearchResponse {
  const window = clientWindow(clientQuery, settings.pagination.maxTotalHits);
  const undo = mergeUndoFor(clientQuery, settings);
  const distinct = distinctAttributeOf(clientQuery, settings);
  const hits = mergedWindow(
    bodies.map((body) => body.hits),
    headKeyReader(clientQuery, settings.primaryKey, bodies.length),
    window.offset,
    window.limit,
    distinct === null ? null : distinctFilter(distinct),
  ).map(clientHitCleaner(undo));

  const queryVector = bodies.find((body) => body.queryVector !== undefined)?.queryVector;
  const summed = totalOf(clientQuery, settings, bodies, window, counting);
  const response: MergedSearchResponse = {
    hits,
    query: clientQuery.q ?? "",
    ...(queryVector === undefined ? {} : { queryVector }),
    processingTimeMs: Math.max(0, ...bodies.map((body) => body.processingTimeMs)),
    ...paginationFields(window, summed),
  };
  if (bodies.some((body) => body.facetDistribution !== undefined)) {
    response.facetDistribution = mergeFacetDistributions(
      bodies.map((body) => body.facetDistribution),
      (facet) => facetValueOrderOf(settings, facet),
      settings.faceting.maxValuesPerFacet,
      summed,
    );
  }
  if (bodies.some((body) => body.facetStats !== undefined)) {
    response.facetStats = mergeFacetStats(bodies.map((body) => body.facetStats));
  }
  const filtered = clientQuery.filter !== undefined && clientQuery.filter !== null;
  Object.assign(response, requestInfo(bodies, filtered));
  if (bodies.some((body) => body.semanticHitCount !== undefined)) {
    response.semanticHitCount = sum(bodies.map((body) => body.semanticHitCount));
  }
  return response;
}

/**
 * Merges the answers of the covering nodes into the response one Meilisearch node holding
 * every document would give (up to ties). Throws `NodeAnswerError` naming the first node
 * whose answer is not a search response.
 */
export function mergeSearch(
  clientQuery: SearchQuery,
  settings: MergeSettings,
  answers: readonly NodeSearchAnswer[],
): MergedSearchResponse {
  const bodies = answers.map((answer) => checkSearchResponse(answer.node, answer.body));
  return mergeCheckedSearch(clientQuery, settings, bodies);
}
