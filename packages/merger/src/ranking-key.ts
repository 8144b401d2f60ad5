import { normalisedFacetValue } from "./facet-value-order.js";
import { isRecord } from "./node-answer.js";

/**
 * One ranking rule's verdict on a hit, read from `_rankingScoreDetails`: a relevance rule
 * by its rank fraction and a vector sort by its similarity (bare numbers, comparable with
 * each other as in Meilisearch; the common case allocates nothing), a sort rule by its
 * value (strings normalised) and direction, a geo sort by its distance.
 */
export type RuleValue =
  | number
  | { kind: "sort"; ascending: boolean; value: unknown }
  | { kind: "geo"; ascending: boolean; distance: number | null };

/** Everything the order needs from a hit, read once when the hit enters the merge. */
export interface RankingKey {
  rules: RuleValue[];
  score: number;
  primaryKey: unknown;
}

/**
 * A sort rule orders strings by the facet form Meilisearch stores them in (trimmed,
 * lower-cased), so "apple" ranks before "Banana"; the details may show the original
 * spelling, so it is normalised here, once per hit rather than once per comparison.
 */
function sortableValue(value: unknown): unknown {
  return typeof value === "string" ? normalisedFacetValue(value) : value;
}

function ruleValue(name: string, detail: Record<string, unknown>, weight: number): RuleValue {
  const score = detail.score;
  if (typeof score === "number") return score * weight;
  if (name === "vectorSort") {
    return (typeof detail.similarity === "number" ? detail.similarity : 0) * weight;
  }
  const ascending = name.endsWith(":asc");
  if (name.startsWith("_geoPoint(")) {
    const distance = typeof detail.distance === "number" ? detail.distance : null;
    return { kind: "geo", ascending, distance };
  }
  if ("value" in detail) return { kind: "sort", ascending, value: sortableValue(detail.value) };
  // `skipped` (search cutoff reached) carries no score and ranks last, as in Meilisearch.
  return 0;
}

/**
 * The details in ranking-rule order (their `order` field), each turned into a comparable
 * value. Nodes serialise details in order already, so sorting is only the fallback.
 */
export function ruleValues(details: unknown, weight = 1): RuleValue[] {
  return ruleValuesInto(details, weight, []);
}

/**
 * `ruleValues` written into `into` (emptied first), which is returned: a merge that reads
 * one key per list head at a time reuses one array per list instead of one per hit.
 */
export function ruleValuesInto(details: unknown, weight: number, into: RuleValue[]): RuleValue[] {
  let count = 0;
  if (isRecord(details)) {
    let lastOrder = Number.NEGATIVE_INFINITY;
    let inOrder = true;
    for (const name in details) {
      const detail = details[name];
      // isRecord, spelled out: this loop runs for every rule of every hit merged.
      if (typeof detail !== "object" || detail === null || Array.isArray(detail)) continue;
      const fields = detail as Record<string, unknown>;
      const order = typeof fields.order === "number" ? fields.order : count;
      if (order < lastOrder) inOrder = false;
      lastOrder = order;
      const score = fields.score;
      into[count++] = typeof score === "number" ? score * weight : ruleValue(name, fields, weight);
    }
    if (!inOrder) {
      const sorted = reordered(details, weight);
      for (let at = 0; at < sorted.length; at++) into[at] = sorted[at] as RuleValue;
    }
  }
  // Setting the length is a call into the runtime: only when it changes.
  if (into.length !== count) into.length = count;
  return into;
}

function orderOf(detail: Record<string, unknown>, fallback: number): number {
  return typeof detail.order === "number" ? detail.order : fallback;
}

function reordered(details: Record<string, unknown>, weight: number): RuleValue[] {
  const entries: Array<{ order: number; value: RuleValue }> = [];
  for (const name in details) {
    const detail = details[name];
    if (!isRecord(detail)) continue;
    entries.push({
      order: orderOf(detail, entries.length),
      value: ruleValue(name, detail, weight),
    });
  }
  return entries.sort((a, b) => a.order - b.order).map((entry) => entry.value);
}
