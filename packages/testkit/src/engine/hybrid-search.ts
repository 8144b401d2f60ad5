import { meiliError } from "@miroir/errors";
import type { Document } from "./document.js";
import { withVectors } from "./document-vectors.js";
import { embedderNamed } from "./embedders.js";
import type { EngineIndex } from "./engine-index.js";
import { facetAnswer, facetAttributes } from "./facets.js";
import {
  applyDistinct,
  distinctAttribute,
  type RankedDocument,
  type RankedResult,
  rankedSearch,
  searchFilter,
} from "./ranked-search.js";
import { formatHit, paginate, type SearchAnswer, search } from "./search.js";
import type { SearchQuery } from "./search-query.js";
import { selectFields } from "./select-fields.js";
import { type SemanticHit, type SemanticRanking, semanticRanking } from "./semantic-ranking.js";
import { checkSortable, parseSortCriterion } from "./sort-criteria.js";

/** One hit of a hybrid ranking: from the keyword side or from the semantic side. */
type HybridHit =
  | { side: "keyword"; hit: RankedDocument; weighted: number; doc: Document }
  | { side: "semantic"; hit: SemanticHit; weighted: number; doc: Document };

/**
 * A search with `hybrid`. A semantic ratio of 0, or no vector and no words, is the keyword
 * search (without `semanticHitCount`); a vector without words, or a ratio of 1, is the pure
 * semantic search (ranked by similarity, `_rankingScore` the similarity). Between the two,
 * both rankings are merged by their score weighted by the ratio, each document once, where
 * it weighs most.
 */
export function hybridSearch(index: EngineIndex, query: SearchQuery): SearchAnswer {
  const started = performance.now();
  const hybrid = query.hybrid as NonNullable<SearchQuery["hybrid"]>;
  const settings = index.settings;
  if (Object.keys(settings.embedders).length === 0) {
    const field = query.vector === undefined ? "hybrid" : "vector";
    throw meiliError(
      field === "hybrid" ? "invalid_search_hybrid_query" : "invalid_search_vector",
      `Invalid value at \`.${field}\`: this index has no embedders configured.`,
    );
  }
  const embedder = embedderNamed(settings, hybrid.embedder, "invalid_search_embedder");
  const keywordQuery: SearchQuery = { ...query };
  delete keywordQuery.hybrid;
  delete keywordQuery.vector;
  const words = (query.q ?? "").trim() !== "";
  // without a vector, words cannot be embedded here (user-provided vectors only): a pure
  // semantic search fails, a mixed one falls back to the keyword ranking
  if (query.vector === undefined) {
    if (!words || hybrid.semanticRatio === 0) return search(index, keywordQuery);
    if (hybrid.semanticRatio === 1) {
      throw meiliError(
        "vector_embedding_error",
        `Error while generating embeddings: user error: attempt to embed the following text in a configuration where embeddings must be user provided:\n  - \`${query.q}\``,
      );
    }
    return { ...search(index, keywordQuery), semanticHitCount: 0 };
  }
  if (query.vector.length !== embedder.dimensions) {
    throw meiliError(
      "invalid_vector_dimensions",
      `Invalid vector dimensions: expected: \`${embedder.dimensions}\`, found: \`${query.vector.length}\`.`,
    );
  }
  if (hybrid.semanticRatio === 0) return search(index, keywordQuery);
  const criteria = (query.sort ?? []).map(parseSortCriterion);
  checkSortable(criteria, settings, index.uid);
  const semantic = semanticRanking(index, {
    embedder: hybrid.embedder,
    target: query.vector,
    filter: searchFilter(index, query),
    sort: criteria,
  });
  const keyword = words && hybrid.semanticRatio < 1 ? rankedSearch(index, keywordQuery) : null;
  let ranked = mergeRankings(semantic, keyword, hybrid.semanticRatio);
  const threshold = query.rankingScoreThreshold;
  if (threshold !== undefined) ranked = ranked.filter((entry) => scoreOf(entry) >= threshold);
  const distinct = distinctAttribute(index, query);
  if (distinct !== undefined) ranked = applyDistinct(ranked, distinct);
  const answer: SearchAnswer = { hits: [], query: query.q ?? "", processingTimeMs: 0 };
  const selected = paginate(ranked, query, settings.pagination.maxTotalHits, answer);
  answer.hits = selected.map((entry) =>
    entry.side === "keyword"
      ? formatHit(entry.hit, query, index, keyword as RankedResult)
      : semanticHit(entry.hit, query, index, semantic),
  );
  if (query.facets !== undefined) {
    const facets = facetAttributes(query.facets, settings, index.documents.values(), index.uid);
    const matching = [...semantic.hits].sort((a, b) => a.order - b.order).map((hit) => hit.doc);
    Object.assign(answer, facetAnswer(matching, facets, settings));
  }
  answer.semanticHitCount = selected.filter((entry) => entry.side === "semantic").length;
  answer.processingTimeMs = Math.round(performance.now() - started);
  return answer;
}

function mergeRankings(
  semantic: SemanticRanking,
  keyword: RankedResult | null,
  ratio: number,
): HybridHit[] {
  const semanticHits: HybridHit[] = semantic.hits.map((hit) => ({
    side: "semantic",
    hit,
    weighted: (hit.similarity ?? 0) * ratio,
    doc: hit.doc,
  }));
  if (keyword === null) return semanticHits;
  const keywordHits: HybridHit[] = keyword.ranked.map((hit) => ({
    side: "keyword",
    hit,
    weighted: hit.score * (1 - ratio),
    doc: hit.doc,
  }));
  const seen = new Set<Document>();
  const merged: HybridHit[] = [];
  let s = 0;
  let k = 0;
  while (s < semanticHits.length || k < keywordHits.length) {
    const left = semanticHits[s];
    const right = keywordHits[k];
    const takeSemantic =
      right === undefined || (left !== undefined && left.weighted >= right.weighted);
    const next = takeSemantic ? left : right;
    if (takeSemantic) s++;
    else k++;
    if (next === undefined || seen.has(next.doc)) continue;
    seen.add(next.doc);
    merged.push(next);
  }
  return merged;
}

function semanticHit(
  hit: SemanticHit,
  query: SearchQuery,
  index: EngineIndex,
  ranking: SemanticRanking,
): Document {
  const shown = withVectors(
    selectFields(hit.doc, query.attributesToRetrieve, index.settings.displayedAttributes),
    hit.doc,
    index.settings,
    query.retrieveVectors,
  );
  if (query.showRankingScore === true) shown._rankingScore = hit.similarity ?? 0;
  if (query.showRankingScoreDetails === true) shown._rankingScoreDetails = ranking.details(hit);
  return shown;
}

function scoreOf(entry: HybridHit): number {
  return entry.side === "keyword" ? entry.hit.score : (entry.hit.similarity ?? 0);
}
