import { sumFacetCounts } from "./facet-merge.js";
import { facetValueOrderOf, nodeFacetValues } from "./facet-value-order.js";
import { isCount, isRecord } from "./node-answer.js";
import { NodeAnswerError } from "./node-answer-error.js";
import type { MergeSettings, NodeSearchAnswer } from "./types.js";

/** The part of a `POST /indexes/{uid}/facet-search` body the merge depends on. */
export interface FacetSearchQuery {
  facetName: string;
  facetQuery?: string | null;
  [parameter: string]: unknown;
}

export interface MergedFacetSearchResponse {
  facetHits: Array<{ value: string; count: number }>;
  facetQuery: string | null;
  processingTimeMs: number;
}

/** One node's facet search answer once checked: its count per facet value. */
export interface CheckedFacetSearch {
  counts: Record<string, number>;
  processingTimeMs: number;
}

/** Checks one node's facet search answer; anything malformed is that node's failure. */
export function checkFacetSearchResponse(node: string, body: unknown): CheckedFacetSearch {
  if (!isRecord(body) || !Array.isArray(body.facetHits)) {
    throw new NodeAnswerError(node, "`facetHits` is not an array");
  }
  const counts: Record<string, number> = Object.create(null);
  for (const hit of body.facetHits) {
    if (!isRecord(hit) || typeof hit.value !== "string" || !isCount(hit.count)) {
      throw new NodeAnswerError(node, "a facet hit is not `{value, count}`");
    }
    counts[hit.value] = (counts[hit.value] ?? 0) + hit.count;
  }
  const processingTimeMs = typeof body.processingTimeMs === "number" ? body.processingTimeMs : 0;
  return { counts, processingTimeMs };
}

/**
 * Sums each facet value's count across nodes, then orders and truncates as Meilisearch
 * does: the facet's `sortFacetValuesBy` order, at most `maxValuesPerFacet` values.
 */
export function mergeFacetSearch(
  clientQuery: FacetSearchQuery,
  settings: MergeSettings,
  answers: readonly NodeSearchAnswer[],
): MergedFacetSearchResponse {
  const checked = answers.map((answer) => checkFacetSearchResponse(answer.node, answer.body));
  return mergeCheckedFacetSearch(clientQuery, settings, checked);
}

/** `mergeFacetSearch` over answers already checked by `checkFacetSearchResponse`. */
export function mergeCheckedFacetSearch(
  clientQuery: FacetSearchQuery,
  settings: MergeSettings,
  checked: readonly CheckedFacetSearch[],
): MergedFacetSearchResponse {
  // A facet search walks the facet tree whatever the number of candidates.
  const values = nodeFacetValues(
    sumFacetCounts(checked.map((answer) => answer.counts)),
    facetValueOrderOf(settings, clientQuery.facetName),
    settings.faceting.maxValuesPerFacet,
    Number.POSITIVE_INFINITY,
  );
  return {
    facetHits: values.map(({ value, count }) => ({ value, count })),
    facetQuery: clientQuery.facetQuery ?? null,
    processingTimeMs: Math.max(0, ...checked.map((answer) => answer.processingTimeMs)),
  };
}
