import type { Document } from "./document.js";
import { withVectors } from "./document-vectors.js";
import type { EngineIndex } from "./engine-index.js";
import { type FacetDistribution, type FacetStats, facetAnswer, facetAttributes } from "./facets.js";
import { formatMatches, wantsFormatting } from "./hit-formatting.js";
import { hybridSearch } from "./hybrid-search.js";
import { applyPins, isPinned, type SearchPin } from "./pins.js";
import {
  distinctAttribute,
  distinctWalkLeft,
  type RankedDocument,
  type RankedResult,
  rankedSearch,
} from "./ranked-search.js";
import type { SearchQuery } from "./search-query.js";
import { selectFields } from "./select-fields.js";

/** A search answer in Meilisearch's shape and key order (offset mode or page mode). */
export interface SearchAnswer {
  hits: Document[];
  query: string;
  processingTimeMs: number;
  limit?: number;
  offset?: number;
  estimatedTotalHits?: number;
  hitsPerPage?: number;
  page?: number;
  totalPages?: number;
  totalHits?: number;
  facetDistribution?: FacetDistribution;
  facetStats?: FacetStats;
  /** How many hits the semantic side placed, on a hybrid search. */
  semanticHitCount?: number;
}

const DEFAULT_LIMIT = 20;

/**
 * Answers one search on one index exactly as a Meilisearch node holding it would; `pins`
 * are the documents its dynamic search rules place (keyword searches only).
 */
export function search(
  index: EngineIndex,
  query: SearchQuery,
  pins: readonly SearchPin[] = [],
): SearchAnswer {
  if (query.hybrid !== undefined) return hybridSearch(index, query);
  const started = performance.now();
  const settings = index.settings;
  const facets =
    query.facets === undefined
      ? undefined
      : facetAttributes(query.facets, settings, index.documents.values(), index.uid);
  const result = rankedSearch(index, query);
  const answer: SearchAnswer = { hits: [], query: query.q ?? "", processingTimeMs: 0 };
  const ranked = pins.length === 0 ? result.ranked : applyPins(result.ranked, pins, index);
  const maxTotalHits = settings.pagination.maxTotalHits;
  const counted = countedCandidates(index, query, result, maxTotalHits);
  const selected = paginate(ranked, query, maxTotalHits, answer, counted?.length);
  answer.hits = selected.map((hit) => formatHit(hit, query, index, result));
  if (facets !== undefined) {
    const { facetDistribution, facetStats } = facetAnswer(
      inInsertionOrder(counted ?? result.candidates),
      facets,
      settings,
    );
    answer.facetDistribution = facetDistribution;
    answer.facetStats = facetStats;
  }
  answer.processingTimeMs = Math.round(performance.now() - started);
  return answer;
}

/**
 * The candidates a distinct search's totals and facets count (undefined without one: the
 * ranked list, pins included, is counted, and facets read every candidate). Page mode
 * counts one document per value (exhaustively); offset/limit counts what the ranking walk
 * for the window left (`distinctWalkLeft`), unless the window is empty, where the node
 * does not walk at all (a window past every candidate walks them all).
 */
function countedCandidates(
  index: EngineIndex,
  query: SearchQuery,
  result: RankedResult,
  maxTotalHits: number,
): readonly RankedDocument[] | undefined {
  const attribute = distinctAttribute(index, query);
  if (attribute === undefined) return undefined;
  if (query.page !== undefined || query.hitsPerPage !== undefined) return result.ranked;
  const offset = Math.min(query.offset ?? 0, maxTotalHits);
  const limit = Math.min(query.limit ?? DEFAULT_LIMIT, maxTotalHits - offset);
  if (offset + limit === 0) return result.candidates;
  return distinctWalkLeft(result, attribute, offset + limit);
}

/**
 * The page of `ranked` the query asks for (offset/limit or page/hitsPerPage, within
 * `maxTotalHits`), writing the pagination fields into `answer`. The totals count every
 * candidate (`total`, when distinct made it differ from the ranked list): `maxTotalHits`
 * bounds the hits a search can reach, not its totals.
 */
export function paginate<T>(
  ranked: readonly T[],
  query: SearchQuery,
  maxTotalHits: number,
  answer: SearchAnswer,
  total = ranked.length,
): T[] {
  const window = ranked.slice(0, maxTotalHits);
  if (query.page !== undefined || query.hitsPerPage !== undefined) {
    const page = query.page ?? 1;
    const hitsPerPage = query.hitsPerPage ?? DEFAULT_LIMIT;
    answer.hitsPerPage = hitsPerPage;
    answer.page = page;
    answer.totalPages = hitsPerPage === 0 ? 0 : Math.ceil(total / hitsPerPage);
    answer.totalHits = total;
    return page === 0 ? [] : window.slice((page - 1) * hitsPerPage, page * hitsPerPage);
  }
  const offset = query.offset ?? 0;
  const limit = query.limit ?? DEFAULT_LIMIT;
  answer.limit = limit;
  answer.offset = offset;
  answer.estimatedTotalHits = total;
  return window.slice(offset, offset + limit);
}

/** Candidates in internal-id order, so a facet value is answered in its first-seen spelling. */
export function inInsertionOrder(hits: readonly RankedDocument[]): Document[] {
  return [...hits].sort((a, b) => a.order - b.order).map((hit) => hit.doc);
}

/**
 * One hit: retrieved attributes, `_geoDistance`, then `_formatted`, `_matchesPosition`,
 * `_rankingScore`, `_rankingScoreDetails`.
 */
export function formatHit(
  hit: RankedDocument,
  query: SearchQuery,
  index: EngineIndex,
  result: Pick<RankedResult, "terms" | "matcher" | "plan">,
): Document {
  const displayed = index.settings.displayedAttributes;
  const formatted = withVectors(
    selectFields(hit.doc, query.attributesToRetrieve, displayed),
    hit.doc,
    index.settings,
    query.retrieveVectors,
  );
  if (hit.geoDistance !== undefined) formatted._geoDistance = hit.geoDistance;
  if (wantsFormatting(query)) {
    const matches = formatMatches(hit.doc, query, displayed, result.terms, result.matcher);
    if (matches.formatted !== undefined) formatted._formatted = matches.formatted;
    if (matches.matchesPosition !== undefined) formatted._matchesPosition = matches.matchesPosition;
  }
  if (query.showRankingScore === true) formatted._rankingScore = hit.score;
  if (query.showRankingScoreDetails === true) {
    formatted._rankingScoreDetails = isPinned(hit)
      ? { pin: { order: 0, position: hit.pinnedAt } }
      : result.plan.details(hit);
  }
  return formatted;
}
