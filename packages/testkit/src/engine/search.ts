import type { Document } from "./document.js";
import type { EngineIndex } from "./engine-index.js";
import { type FacetDistribution, type FacetStats, facetAnswer, facetAttributes } from "./facets.js";
import { formatMatches, wantsFormatting } from "./hit-formatting.js";
import { type RankedDocument, type RankedResult, rankedSearch } from "./ranked-search.js";
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
}

const DEFAULT_LIMIT = 20;

/** Answers one search on one index exactly as a Meilisearch node holding it would. */
export function search(index: EngineIndex, query: SearchQuery): SearchAnswer {
  const started = performance.now();
  const settings = index.settings;
  const facets =
    query.facets === undefined
      ? undefined
      : facetAttributes(query.facets, settings, index.documents.values(), index.uid);
  const result = rankedSearch(index, query);
  const maxTotalHits = settings.pagination.maxTotalHits;
  const window = result.ranked.slice(0, maxTotalHits);
  const total = window.length;
  const pageMode = query.page !== undefined || query.hitsPerPage !== undefined;
  let selected: RankedDocument[];
  const answer: SearchAnswer = { hits: [], query: query.q ?? "", processingTimeMs: 0 };
  if (pageMode) {
    const page = query.page ?? 1;
    const hitsPerPage = query.hitsPerPage ?? DEFAULT_LIMIT;
    selected = page === 0 ? [] : window.slice((page - 1) * hitsPerPage, page * hitsPerPage);
    answer.hitsPerPage = hitsPerPage;
    answer.page = page;
    answer.totalPages = hitsPerPage === 0 ? 0 : Math.ceil(total / hitsPerPage);
    answer.totalHits = total;
  } else {
    const offset = query.offset ?? 0;
    const limit = query.limit ?? DEFAULT_LIMIT;
    selected = window.slice(offset, offset + limit);
    answer.limit = limit;
    answer.offset = offset;
    answer.estimatedTotalHits = total;
  }
  answer.hits = selected.map((hit) => formatHit(hit, query, index, result));
  if (facets !== undefined) {
    const { facetDistribution, facetStats } = facetAnswer(
      inInsertionOrder(result.candidates),
      facets,
      settings,
    );
    answer.facetDistribution = facetDistribution;
    answer.facetStats = facetStats;
  }
  answer.processingTimeMs = Math.round(performance.now() - started);
  return answer;
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
  const formatted = selectFields(hit.doc, query.attributesToRetrieve, displayed);
  if (hit.geoDistance !== undefined) formatted._geoDistance = hit.geoDistance;
  if (wantsFormatting(query)) {
    const matches = formatMatches(hit.doc, query, displayed, result.terms, result.matcher);
    if (matches.formatted !== undefined) formatted._formatted = matches.formatted;
    if (matches.matchesPosition !== undefined) formatted._matchesPosition = matches.matchesPosition;
  }
  if (query.showRankingScore === true) formatted._rankingScore = hit.score;
  if (query.showRankingScoreDetails === true)
    formatted._rankingScoreDetails = result.plan.details(hit);
  return formatted;
}
