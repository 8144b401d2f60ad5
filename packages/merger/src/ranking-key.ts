import { isRecord } from "./node-answer.js";

/**
 * One ranking rule's verdict on a hit, read from `_rankingScoreDetails`:
 * a relevance rule by its rank fraction, a sort rule by its value and direction, a geo
 * sort by its distance, a vector sort by its similarity.
 */
export type RuleValue =
  | { kind: "relevance"; score: number }
  | { kind: "vector"; similarity: number }
  | { kind: "sort"; ascending: boolean; value: unknown }
  | { kind: "geo"; ascending: boolean; distance: number | null };

/** Everything the order needs from a hit, read once when the hit enters the merge. */
export interface RankingKey {
  rules: RuleValue[];
  score: number;
  primaryKey: unknown;
}

function ruleValue(name: string, detail: Record<string, unknown>, weight: number): RuleValue {
  if (name === "vectorSort") {
    const similarity = typeof detail.similarity === "number" ? detail.similarity : 0;
    return { kind: "vector", similarity: similarity * weight };
  }
  const ascending = name.endsWith(":asc");
  if (name.startsWith("_geoPoint(")) {
    const distance = typeof detail.distance === "number" ? detail.distance : null;
    return { kind: "geo", ascending, distance };
  }
  if ("value" in detail && !("score" in detail)) {
    return { kind: "sort", ascending, value: detail.value };
  }
  // `skipped` (search cutoff reached) carries no score and ranks last, as in Meilisearch.
  const score = typeof detail.score === "number" ? detail.score : 0;
  return { kind: "relevance", score: score * weight };
}

/** The details in ranking-rule order (their `order` field), each turned into a comparable value. */
export function ruleValues(details: unknown, weight = 1): RuleValue[] {
  if (!isRecord(details)) return [];
  const entries: Array<[number, RuleValue]> = [];
  for (const [name, detail] of Object.entries(details)) {
    if (!isRecord(detail)) continue;
    const order = typeof detail.order === "number" ? detail.order : entries.length;
    entries.push([order, ruleValue(name, detail, weight)]);
  }
  entries.sort((a, b) => a[0] - b[0]);
  return entries.map((entry) => entry[1]);
}
