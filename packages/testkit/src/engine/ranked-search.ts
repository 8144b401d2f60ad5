import { meiliError } from "@miroir/errors";
import { anyPatternCovers, filterablePatterns, patternCovers } from "./attribute-pattern.js";
import type { Document } from "./document.js";
import { valuesAt } from "./document-path.js";
import { documentText } from "./document-text.js";
import type { EngineIndex } from "./engine-index.js";
import type { Filter } from "./filter.js";
import {
  containsFilterCheck,
  filterableCheck,
  matchFilter,
  normalizeFacet,
} from "./filter-match.js";
import { parseFilter } from "./filter-parser.js";
import { parseQuery, type QueryTerm, WordMatcher } from "./query-terms.js";
import { type RankingPlan, rankingPlan, type SortKey } from "./ranking-details.js";
import {
  type AttributePolicy,
  holdsExcluded,
  measureRelevance,
  type Relevance,
  type RelevanceOptions,
  relevanceScratch,
  type SearchedAttribute,
} from "./relevance.js";
import type { SearchQuery } from "./search-query.js";
import type { Settings } from "./settings.js";
import { checkSortable, parseSortCriterion } from "./sort-criteria.js";

/** A matching document with its rule verdicts, in Meilisearch's order once sorted. */
export interface RankedDocument {
  doc: Document;
  key: string;
  /** Internal id: insertion order, the last tie-breaker. */
  order: number;
  relevance: Relevance | undefined;
  sortKeys: readonly SortKey[];
  score: number;
  /** Meters to the geo-sort point, when the query sorts by `_geoPoint`. */
  geoDistance?: number;
}

/** The ranked candidates of a query, before pagination, with what formatting needs. */
export interface RankedResult {
  /** Every match, ranked, threshold applied, before `distinct`. */
  candidates: RankedDocument[];
  /** The same with `distinct` applied: what hits and totals are taken from. */
  ranked: RankedDocument[];
  terms: QueryTerm[];
  matcher: WordMatcher;
  plan: RankingPlan;
}

/** Validates a query against the index settings, then matches, scores and orders documents. */
export function rankedSearch(index: EngineIndex, query: SearchQuery): RankedResult {
  const settings = index.settings;
  const filter = searchFilter(index, query);
  const criteria = (query.sort ?? []).map(parseSortCriterion);
  checkSortable(criteria, settings, index.uid);
  const distinct = distinctAttribute(index, query);
  const searchOn = checkSearchOn(query.attributesToSearchOn, settings, index.uid);

  const { terms, excluded } = parseQuery(query.q ?? "", settings);
  const weights = attributeWeights(settings, searchOn);
  const relevanceOptions: RelevanceOptions = {
    terms,
    matcher: new WordMatcher(terms),
    policy: weights.policy,
    maxWeight: weights.maxWeight,
    strategy: query.matchingStrategy ?? "last",
    proximityByAttribute: settings.proximityPrecision === "byAttribute",
    hasPhrases: terms.some((term) => term.phrase !== undefined),
    scratch: relevanceScratch(terms.length),
  };
  const plan = rankingPlan(settings.rankingRules, criteria);
  const candidates: RankedDocument[] = [];
  let order = 0;
  for (const [key, doc] of index.documents) {
    order++;
    if (filter.kind !== "all" && !matchFilter(doc, filter)) continue;
    if (excluded.length > 0 && holdsExcluded(documentText(doc), weights.policy, excluded)) continue;
    let relevance: Relevance | undefined;
    if (terms.length > 0) {
      relevance = measureRelevance(documentText(doc), relevanceOptions);
      if (relevance === undefined) continue;
    }
    const sortKeys = plan.sortKeys(doc);
    const score = plan.score(relevance);
    const ranked: RankedDocument = { doc, key, order, relevance, sortKeys, score };
    if (plan.sortsByDistance) {
      const distance = sortKeys.find((sortKey) => sortKey.distance !== undefined)?.distance;
      if (distance !== undefined && distance !== null) ranked.geoDistance = Math.round(distance);
    }
    candidates.push(ranked);
  }
  if (terms.length > 0 || plan.orders) {
    candidates.sort((a, b) => plan.compare(a, b) || a.order - b.order);
  }
  const threshold = query.rankingScoreThreshold;
  const kept =
    threshold === undefined ? candidates : candidates.filter((hit) => hit.score >= threshold);
  return {
    candidates: kept,
    ranked: distinct === undefined ? kept : applyDistinct(kept, distinct),
    terms,
    matcher: relevanceOptions.matcher,
    plan,
  };
}

export function searchFilter(index: EngineIndex, query: SearchQuery): Filter {
  if (query.filter === undefined) return { kind: "all" };
  const filter = parseFilter(query.filter);
  if (index.features?.containsFilter !== true) containsFilterCheck(filter);
  filterableCheck(filter, index.settings, "invalid_search_filter", index.uid);
  return filter;
}

export function distinctAttribute(index: EngineIndex, query: SearchQuery): string | undefined {
  if (query.distinct === undefined) return index.settings.distinctAttribute ?? undefined;
  const patterns = filterablePatterns(index.settings.filterableAttributes);
  if (!anyPatternCovers(patterns, query.distinct)) {
    const available =
      patterns.length === 0
        ? "This index does not have configured filterable attributes."
        : `Available filterable attributes patterns are: \`${[...new Set(patterns)].sort().join(", ")}\`.`;
    throw meiliError(
      "invalid_search_distinct",
      `Index \`${index.uid}\`: Attribute \`${query.distinct}\` is not filterable and thus, cannot be used as distinct attribute. ${available}`,
    );
  }
  return query.distinct;
}

function checkSearchOn(
  searchOn: readonly string[] | undefined,
  settings: Settings,
  indexUid: string,
): readonly string[] | undefined {
  if (searchOn === undefined) return undefined;
  const searchable = settings.searchableAttributes;
  if (searchable.includes("*")) return searchOn;
  for (const attribute of searchOn) {
    if (!searchable.some((pattern) => patternCovers(pattern, attribute))) {
      throw meiliError(
        "invalid_search_attributes_to_search_on",
        `Index \`${indexUid}\`: Attribute \`${attribute}\` is not searchable. Available searchable attributes are: \`${searchable.join(", ")}\`.`,
      );
    }
  }
  return searchOn;
}

/**
 * Weights of the searchable attributes: their rank in `searchableAttributes` (all 0 with
 * `*`, which keeps a score independent of the other documents' fields).
 */
function attributeWeights(settings: Settings, searchOn: readonly string[] | undefined) {
  const searchable = settings.searchableAttributes;
  const all = searchable.includes("*");
  const noTypos = settings.typoTolerance.disableOnAttributes;
  const memo: Array<SearchedAttribute | null> = [];
  const policy: AttributePolicy = (text) => {
    let attribute = memo[text.pathId];
    if (attribute === undefined) {
      const path = text.path;
      const weight = all ? 0 : searchable.findIndex((pattern) => patternCovers(pattern, path));
      const searched =
        weight !== -1 &&
        (searchOn === undefined || searchOn.some((pattern) => patternCovers(pattern, path)));
      attribute = searched
        ? { weight, typoTolerant: !noTypos.some((pattern) => patternCovers(pattern, path)) }
        : null;
      memo[text.pathId] = attribute;
    }
    return attribute ?? undefined;
  };
  return { maxWeight: all ? 0 : Math.max(0, searchable.length - 1), policy };
}

/**
 * Keeps the best document per value of the distinct attribute: a kept document claims all
 * its values, so a later document sharing any of them goes. Documents without it stay.
 */
export function applyDistinct<T extends { doc: Document }>(
  ranked: readonly T[],
  attribute: string,
): T[] {
  const seen = new Set<string>();
  return ranked.filter((hit) => {
    const keys = distinctKeys(hit.doc, attribute);
    if (keys.some((key) => seen.has(key))) return false;
    for (const key of keys) seen.add(key);
    return true;
  });
}

/** The values of a document's distinct attribute, as the facet databases key them. */
function distinctKeys(doc: Document, attribute: string): string[] {
  return valuesAt(doc, attribute).flatMap((value) => {
    if (typeof value === "number") return [`n:${value}`];
    if (typeof value === "string" || typeof value === "boolean") {
      return [`s:${normalizeFacet(String(value))}`];
    }
    return [];
  });
}

/**
 * The candidates a node's distinct walk leaves, which its `estimatedTotalHits` counts and
 * its facets read: it walks the ranking buckets (documents its rules rank equal; one
 * document at a time when no rule applies) until it has kept `kept` documents, finishing
 * the bucket, and removes every other candidate holding a value of a document it kept.
 */
export function distinctWalkLeft(
  result: RankedResult,
  attribute: string,
  kept: number,
): RankedDocument[] {
  const candidates = result.candidates;
  const byRules = result.terms.length > 0 || result.plan.orders;
  const seen = new Set<string>();
  const keptDocs = new Set<RankedDocument>();
  let boundary: RankedDocument | undefined;
  for (const hit of kept > 0 ? candidates : []) {
    if (boundary !== undefined && (!byRules || result.plan.compare(hit, boundary) !== 0)) break;
    const keys = distinctKeys(hit.doc, attribute);
    if (keys.some((key) => seen.has(key))) continue;
    for (const key of keys) seen.add(key);
    keptDocs.add(hit);
    if (keptDocs.size === kept) boundary = hit;
  }
  return candidates.filter(
    (hit) => keptDocs.has(hit) || !distinctKeys(hit.doc, attribute).some((key) => seen.has(key)),
  );
}
