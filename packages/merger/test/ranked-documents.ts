import type { Hit, MergeSettings, NodeSearchAnswer } from "../src/index.js";

/** A relevance rule with its number of ranks, or a sort rule with its direction. */
export type TestRule =
  | { name: "words" | "typo" | "proximity" | "attributeRank" | "exactness"; maxRank: number }
  | { name: string; sortAscending: boolean };

export interface RankedDocument {
  id: number;
  /** Per rule: an integer rank in 1..maxRank for relevance rules, a value for sort rules. */
  verdicts: unknown[];
  fields?: Record<string, unknown>;
}

export const settings = (overrides: Partial<MergeSettings> = {}): MergeSettings => ({
  primaryKey: "id",
  rankingRules: [
    "words",
    "typo",
    "proximity",
    "attributeRank",
    "sort",
    "wordPosition",
    "exactness",
  ],
  distinctAttribute: null,
  faceting: { maxValuesPerFacet: 100, sortFacetValuesBy: { "*": "alpha" } },
  pagination: { maxTotalHits: 1000 },
  ...overrides,
});

/** A hit as a node shows it with `showRankingScore` and `showRankingScoreDetails` on. */
export function hitOf(rules: readonly TestRule[], document: RankedDocument): Hit {
  const details: Record<string, unknown> = {};
  let rank = 1;
  let max = 1;
  rules.forEach((rule, order) => {
    const verdict = document.verdicts[order];
    if ("sortAscending" in rule) {
      details[`${rule.name}:${rule.sortAscending ? "asc" : "desc"}`] = { order, value: verdict };
      return;
    }
    const ruleRank = verdict as number;
    details[rule.name] = { order, score: ruleRank / rule.maxRank };
    rank = (rank - 1) * rule.maxRank + ruleRank;
    max *= rule.maxRank;
  });
  return {
    id: document.id,
    ...document.fields,
    _miroir_shard: 0,
    _rankingScore: rank / max,
    _rankingScoreDetails: details,
  };
}

/** Strings compare case-insensitively, on their trimmed lower-case form, as in Meilisearch. */
function compareSortValue(ascending: boolean, a: unknown, b: unknown): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  if (typeof a !== typeof b) return typeof a === "number" ? -1 : 1;
  const [x, y] =
    typeof a === "string" ? [a.trim().toLowerCase(), (b as string).trim().toLowerCase()] : [a, b];
  const order = x === y ? 0 : (x as number | string) < (y as number | string) ? -1 : 1;
  return ascending ? order : -order;
}

/** The reference order, written independently of the merger: rule by rule, then id. */
export function referenceOrder(rules: readonly TestRule[]) {
  return (a: RankedDocument, b: RankedDocument): number => {
    for (const [i, rule] of rules.entries()) {
      const order =
        "sortAscending" in rule
          ? compareSortValue(rule.sortAscending, a.verdicts[i], b.verdicts[i])
          : (b.verdicts[i] as number) - (a.verdicts[i] as number);
      if (order !== 0) return order;
    }
    return a.id - b.id;
  };
}

/** A node answering for its documents: the first `limit` of them in ranking order. */
export function nodeAnswer(
  node: string,
  rules: readonly TestRule[],
  documents: readonly RankedDocument[],
  limit: number,
  extra: Record<string, unknown> = {},
): NodeSearchAnswer {
  const ordered = [...documents].sort(referenceOrder(rules));
  return {
    node,
    body: {
      hits: ordered.slice(0, limit).map((document) => hitOf(rules, document)),
      query: "",
      processingTimeMs: 1,
      limit,
      offset: 0,
      estimatedTotalHits: documents.length,
      ...extra,
    },
  };
}
