import type { Document } from "./document.js";
import { valuesAt } from "./document-path.js";
import { normalizeFacet } from "./filter-match.js";
import { distanceMeters, geoPointOf } from "./geo.js";
import type { Relevance } from "./relevance.js";
import { compareSortValues, criterionName, type SortCriterion } from "./sort-criteria.js";

/** What a sort step reads from a document: its sort value, or its geo point and distance. */
export interface SortKey {
  value: unknown;
  distance?: number | null;
}

/** What ordering and the score details need of one matching document. */
export interface RankedVerdict {
  relevance: Relevance | undefined;
  sortKeys: readonly SortKey[];
}

/**
 * The ranking rules of one search, resolved once: relevance rules, the query's sort in
 * place of the `sort` rule, and custom `attr:asc|desc` rules. Scores and orders documents
 * without allocating per comparison; the details object is only built for returned hits.
 */
export interface RankingPlan {
  /** Whether any sort step takes part (a placeholder search without one keeps insertion order). */
  orders: boolean;
  sortsByDistance: boolean;
  sortKeys(doc: Document): SortKey[];
  /** `_rankingScore`: relevance ranks merged as a mixed-radix number, sort steps excluded. */
  score(relevance: Relevance | undefined): number;
  /** Negative when `a` ranks before `b`, rule by rule as Meilisearch buckets documents. */
  compare(a: RankedVerdict, b: RankedVerdict): number;
  /** `_rankingScoreDetails`, each entry with its `order`. */
  details(verdict: RankedVerdict): Record<string, unknown>;
}

type RuleStep =
  | { kind: "sort"; criterion: SortCriterion; slot: number }
  | { kind: "relevance"; rule: string };

const RELEVANCE_RULES = new Set([
  "words",
  "typo",
  "proximity",
  "attribute",
  "attributeRank",
  "wordPosition",
  "exactness",
]);
const EXACT_RANKS = { exactMatch: 3, matchesStart: 2, noExactMatch: 1 } as const;
const NO_SORT_KEYS: SortKey[] = [];

export function rankingPlan(
  rankingRules: readonly string[],
  querySort: readonly SortCriterion[],
): RankingPlan {
  const steps: RuleStep[] = [];
  const criteria: SortCriterion[] = [];
  // A field already sorted by an earlier rule (the query's sort or a custom rule) is not
  // sorted again: Meilisearch drops the later rule, which then shows in no details.
  const sortedFields = new Set<string>();
  const addSort = (criterion: SortCriterion) => {
    if (criterion.kind === "field") {
      if (sortedFields.has(criterion.field)) return;
      sortedFields.add(criterion.field);
    }
    steps.push({ kind: "sort", criterion, slot: criteria.length });
    criteria.push(criterion);
  };
  for (const rule of rankingRules) {
    const custom = /^(.+):(asc|desc)$/.exec(rule);
    if (rule === "sort") querySort.forEach(addSort);
    else if (custom !== null) {
      addSort({ kind: "field", field: custom[1] as string, ascending: custom[2] === "asc" });
    } else if (RELEVANCE_RULES.has(rule)) steps.push({ kind: "relevance", rule });
  }
  const left: number[] = [];
  const right: number[] = [];
  return {
    orders: criteria.length > 0,
    sortsByDistance: criteria.some((criterion) => criterion.kind === "geo"),
    sortKeys: (doc) =>
      criteria.length === 0 ? NO_SORT_KEYS : criteria.map((c) => sortKey(doc, c)),
    score(relevance) {
      if (relevance === undefined) return 1;
      let rank = 1;
      let max = 1;
      for (const step of steps) {
        if (step.kind !== "relevance") continue;
        const count = ruleRanks(step.rule, relevance, left);
        for (let k = 0; k < count; k += 2) {
          rank = Math.max(rank - 1, 0) * (left[k + 1] as number) + (left[k] as number);
          max *= left[k + 1] as number;
        }
      }
      return rank / max;
    },
    compare(a, b) {
      for (const step of steps) {
        let order = 0;
        if (step.kind === "sort") {
          order = compareSortKeys(step.criterion, a.sortKeys[step.slot], b.sortKeys[step.slot]);
        } else if (a.relevance !== undefined && b.relevance !== undefined) {
          const count = Math.min(
            ruleRanks(step.rule, a.relevance, left),
            ruleRanks(step.rule, b.relevance, right),
          );
          for (let k = 0; k < count && order === 0; k += 2) {
            order =
              (right[k] as number) / (right[k + 1] as number) -
              (left[k] as number) / (left[k + 1] as number);
          }
        }
        if (order !== 0) return order;
      }
      return 0;
    },
    details(verdict) {
      const details: Record<string, unknown> = {};
      let order = 0;
      for (const step of steps) {
        if (step.kind === "sort") {
          const key = verdict.sortKeys[step.slot] as SortKey;
          const detail =
            step.criterion.kind === "geo"
              ? { order, value: key.value, distance: key.distance ?? null }
              : { order, value: key.value };
          details[criterionName(step.criterion)] = detail;
          order++;
        } else if (verdict.relevance !== undefined) {
          details[step.rule] = { order, ...relevanceDetail(step.rule, verdict.relevance) };
          order++;
        }
      }
      return details;
    },
  };
}

/**
 * Writes the rule's ranks as `rank, maxRank` pairs into `out` and returns how many numbers
 * it wrote: one pair for most rules, two for `attribute` and for an inexact `exactness`.
 */
function ruleRanks(rule: string, r: Relevance, out: number[]): number {
  switch (rule) {
    case "words":
      out[0] = r.matchingWords;
      out[1] = r.maxMatchingWords;
      return 2;
    case "typo":
      out[0] = r.maxTypoCount + 1 - r.typoCount;
      out[1] = r.maxTypoCount + 1;
      return 2;
    case "proximity":
      return costRank(r.proximityCost, r.maxProximityCost, out, 0);
    case "attributeRank":
      return costRank(r.attributeCost, r.maxAttributeCost, out, 0);
    case "wordPosition":
      return costRank(r.positionCost, r.maxPositionCost, out, 0);
    case "attribute":
      costRank(r.attributeCost, r.maxAttributeCost, out, 0);
      return costRank(r.positionCost, r.maxPositionCost, out, 2);
    default:
      out[0] = EXACT_RANKS[r.exactness];
      out[1] = 3;
      if (r.exactness !== "noExactMatch") return 2;
      out[2] = r.exactWords + 1;
      out[3] = r.matchingWords + 1;
      return 4;
  }
}

/** A graph-cost rule's rank (the cheapest cost ranks first) at `out[at]`, `out[at + 1]`. */
function costRank(cost: number, maxCost: number, out: number[], at: number): number {
  out[at] = maxCost - cost + 1;
  out[at + 1] = maxCost + 1;
  return at + 2;
}

function relevanceDetail(rule: string, r: Relevance): Record<string, unknown> {
  const ranks: number[] = [];
  const count = ruleRanks(rule, r, ranks);
  const local = (k: number) => (ranks[k] as number) / (ranks[k + 1] as number);
  let merged = 1;
  let max = 1;
  for (let k = 0; k < count; k += 2) {
    merged = Math.max(merged - 1, 0) * (ranks[k + 1] as number) + (ranks[k] as number);
    max *= ranks[k + 1] as number;
  }
  switch (rule) {
    case "words":
      return {
        matchingWords: r.matchingWords,
        maxMatchingWords: r.maxMatchingWords,
        score: local(0),
      };
    case "typo":
      return { typoCount: r.typoCount, maxTypoCount: r.maxTypoCount, score: local(0) };
    case "attribute":
      return {
        attributeRankingOrderScore: local(0),
        queryWordDistanceScore: local(2),
        score: merged / max,
      };
    case "exactness":
      return r.exactness === "noExactMatch"
        ? {
            matchType: r.exactness,
            matchingWords: r.exactWords,
            maxMatchingWords: r.matchingWords,
            score: merged / max,
          }
        : { matchType: r.exactness, score: local(0) };
    default:
      return { score: local(0) };
  }
}

function sortKey(doc: Document, criterion: SortCriterion): SortKey {
  if (criterion.kind === "geo") {
    const point = geoPointOf(doc);
    return point === undefined
      ? { value: null, distance: null }
      : {
          value: { lat: point[0], lng: point[1] },
          distance: distanceMeters(criterion.point, point),
        };
  }
  let best: unknown = null;
  for (const value of valuesAt(doc, criterion.field)) {
    if (typeof value !== "number" && typeof value !== "string") continue;
    if (best === null || compareSortValues(criterion.ascending, value, best) > 0) best = value;
  }
  return { value: best };
}

function compareSortKeys(
  criterion: SortCriterion,
  a: SortKey | undefined,
  b: SortKey | undefined,
): number {
  if (criterion.kind === "geo") {
    const left = a?.distance ?? null;
    const right = b?.distance ?? null;
    if (left === null || right === null) return left === right ? 0 : left === null ? 1 : -1;
    return criterion.ascending ? left - right : right - left;
  }
  return -compareSortValues(criterion.ascending, sortable(a?.value), sortable(b?.value));
}

/** Strings sort by their normalised facet form, as Meilisearch's sort rule reads them. */
function sortable(value: unknown): unknown {
  return typeof value === "string" ? normalizeFacet(value) : value;
}
