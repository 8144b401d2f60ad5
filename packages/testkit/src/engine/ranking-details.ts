import type { Document } from "./document.js";
import { valuesAt } from "./document-path.js";
import { normalizeFacet } from "./filter-match.js";
import { distanceMeters, geoPointOf } from "./geo.js";
import { globalScore, localScore, type Rank, rankFromCost } from "./rank.js";
import type { Relevance } from "./relevance.js";
import { compareSortValues, criterionName, type SortCriterion } from "./sort-criteria.js";

/** One entry of `_rankingScoreDetails` and what ordering compares for it. */
export interface DetailEntry {
  name: string;
  detail: Record<string, unknown>;
  ranks?: Rank[];
  sort?: { ascending: boolean; value: unknown };
  geo?: { ascending: boolean; distance: number | null };
}

/** Computes a document's rule-by-rule verdicts; `orders` is false when nothing can reorder. */
export interface RankingPlan {
  (doc: Document, relevance: Relevance | undefined): DetailEntry[];
  orders: boolean;
}

type RuleStep = { kind: "sort"; criterion: SortCriterion } | { kind: "relevance"; rule: string };

/**
 * The rule-by-rule verdicts for one document, in ranking-rule order. Relevance rules only
 * appear for a keyword search (a placeholder search has no query graph, as in Meilisearch).
 */
export function rankingPlan(
  rankingRules: readonly string[],
  querySort: readonly SortCriterion[],
): RankingPlan {
  const steps: RuleStep[] = [];
  for (const rule of rankingRules) {
    if (rule === "sort") {
      for (const criterion of querySort) steps.push({ kind: "sort", criterion });
      continue;
    }
    const custom = /^(.+):(asc|desc)$/.exec(rule);
    if (custom !== null) {
      const criterion: SortCriterion = {
        kind: "field",
        field: custom[1] as string,
        ascending: custom[2] === "asc",
      };
      steps.push({ kind: "sort", criterion });
    } else {
      steps.push({ kind: "relevance", rule });
    }
  }
  const plan = ((doc: Document, relevance: Relevance | undefined) => {
    const entries: DetailEntry[] = [];
    for (const step of steps) {
      if (step.kind === "sort") {
        entries.push(sortEntry(doc, step.criterion));
      } else if (relevance !== undefined) {
        const entry = relevanceEntry(step.rule, relevance);
        if (entry !== undefined) entries.push(entry);
      }
    }
    return entries;
  }) as RankingPlan;
  plan.orders = steps.some((step) => step.kind === "sort");
  return plan;
}

function relevanceEntry(rule: string, relevance: Relevance): DetailEntry | undefined {
  switch (rule) {
    case "words": {
      const rank = { rank: relevance.matchingWords, maxRank: relevance.maxMatchingWords };
      return {
        name: "words",
        detail: {
          matchingWords: relevance.matchingWords,
          maxMatchingWords: relevance.maxMatchingWords,
          score: localScore(rank),
        },
        ranks: [rank],
      };
    }
    case "typo": {
      const rank = {
        rank: relevance.maxTypoCount + 1 - relevance.typoCount,
        maxRank: relevance.maxTypoCount + 1,
      };
      return {
        name: "typo",
        detail: {
          typoCount: relevance.typoCount,
          maxTypoCount: relevance.maxTypoCount,
          score: localScore(rank),
        },
        ranks: [rank],
      };
    }
    case "proximity":
      return scoreEntry("proximity", relevance.proximity);
    case "attributeRank":
      return scoreEntry("attributeRank", relevance.attributeRank);
    case "wordPosition":
      return scoreEntry("wordPosition", relevance.wordPosition);
    case "attribute":
      return {
        name: "attribute",
        detail: {
          attributeRankingOrderScore: localScore(relevance.attributeRank),
          queryWordDistanceScore: localScore(relevance.wordPosition),
          score: globalScore([relevance.attributeRank, relevance.wordPosition]),
        },
        ranks: [relevance.attributeRank, relevance.wordPosition],
      };
    case "exactness":
      return exactnessEntry(relevance);
    default:
      return undefined;
  }
}

function scoreEntry(name: string, rank: Rank): DetailEntry {
  return { name, detail: { score: localScore(rank) }, ranks: [rank] };
}

const EXACT_RANKS = { exactMatch: 3, matchesStart: 2, noExactMatch: 1 } as const;

function exactnessEntry(relevance: Relevance): DetailEntry {
  const attributeRank = { rank: EXACT_RANKS[relevance.exactness], maxRank: 3 };
  if (relevance.exactness !== "noExactMatch") {
    return {
      name: "exactness",
      detail: { matchType: relevance.exactness, score: localScore(attributeRank) },
      ranks: [attributeRank],
    };
  }
  const wordsRank = rankFromCost(
    relevance.matchingWords - relevance.exactWords,
    relevance.matchingWords,
  );
  return {
    name: "exactness",
    detail: {
      matchType: "noExactMatch",
      matchingWords: relevance.exactWords,
      maxMatchingWords: relevance.matchingWords,
      score: globalScore([attributeRank, wordsRank]),
    },
    ranks: [attributeRank, wordsRank],
  };
}

function sortEntry(doc: Document, criterion: SortCriterion): DetailEntry {
  const name = criterionName(criterion);
  if (criterion.kind === "geo") {
    const point = geoPointOf(doc);
    const distance = point === undefined ? null : distanceMeters(criterion.point, point);
    return {
      name,
      detail: { value: point === undefined ? null : { lat: point[0], lng: point[1] }, distance },
      geo: { ascending: criterion.ascending, distance },
    };
  }
  const value = sortValue(doc, criterion.field, criterion.ascending);
  return { name, detail: { value }, sort: { ascending: criterion.ascending, value } };
}

/** The value a document sorts by: its best number or string under the direction. */
function sortValue(doc: Document, field: string, ascending: boolean): unknown {
  let best: unknown = null;
  for (const value of valuesAt(doc, field)) {
    if (typeof value !== "number" && typeof value !== "string") continue;
    if (best === null || compareSortValues(ascending, value, best) > 0) best = value;
  }
  return best;
}

/** `_rankingScoreDetails`: each entry with its `order`. */
export function detailsObject(entries: readonly DetailEntry[]): Record<string, unknown> {
  const details: Record<string, unknown> = {};
  entries.forEach((entry, order) => {
    details[entry.name] = { order, ...entry.detail };
  });
  return details;
}

/** `_rankingScore`: the relevance ranks merged, sort and geo excluded. */
export function scoreOf(entries: readonly DetailEntry[]): number {
  return globalScore(entries.flatMap((entry) => entry.ranks ?? []));
}

/** Negative when `a` ranks before `b`, comparing rule by rule as Meilisearch buckets. */
export function compareDetails(a: readonly DetailEntry[], b: readonly DetailEntry[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const left = a[i] as DetailEntry;
    const right = b[i] as DetailEntry;
    if (left.ranks !== undefined && right.ranks !== undefined) {
      for (let r = 0; r < Math.min(left.ranks.length, right.ranks.length); r++) {
        const difference = localScore(right.ranks[r] as Rank) - localScore(left.ranks[r] as Rank);
        if (difference !== 0) return difference;
      }
    } else if (left.sort !== undefined && right.sort !== undefined) {
      const order = compareSortValues(
        left.sort.ascending,
        sortKey(left.sort.value),
        sortKey(right.sort.value),
      );
      if (order !== 0) return -order;
    } else if (left.geo !== undefined && right.geo !== undefined) {
      const order = compareDistances(left.geo.ascending, left.geo.distance, right.geo.distance);
      if (order !== 0) return order;
    }
  }
  return 0;
}

/** Strings sort by their normalised facet form, as Meilisearch's sort rule reads them. */
function sortKey(value: unknown): unknown {
  return typeof value === "string" ? normalizeFacet(value) : value;
}

function compareDistances(ascending: boolean, left: number | null, right: number | null): number {
  if (left === null || right === null) return left === right ? 0 : left === null ? 1 : -1;
  return ascending ? left - right : right - left;
}
