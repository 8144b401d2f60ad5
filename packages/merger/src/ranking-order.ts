import type { RankingKey, RuleValue } from "./ranking-key.js";

/** Negative when `a` ranks first. */
export type Order = number;

const SURROGATE = /[\uD800-\uDFFF]/;

export function hasSurrogates(text: string): boolean {
  return SURROGATE.test(text);
}

/** UTF-16 order, which equals code-point order when neither string has surrogate pairs. */
export function compareUtf16(a: string, b: string): Order {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Code-point order, which is the byte order of UTF-8 that Meilisearch compares strings in. */
export function compareCodePoints(a: string, b: string): Order {
  if (!hasSurrogates(a) && !hasSurrogates(b)) return compareUtf16(a, b);
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (astral code points) sort after every other UTF-16 unit in code-point order.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

/**
 * Meilisearch's order of two sort values (better first): a missing value (null) is last
 * whatever the direction, numbers come before strings, and only then the direction applies.
 * Other JSON types compare equal.
 */
export function compareSortValues(ascending: boolean, a: unknown, b: unknown): Order {
  const aMissing = a === null || a === undefined;
  const bMissing = b === null || b === undefined;
  if (aMissing || bMissing) return aMissing === bMissing ? 0 : aMissing ? 1 : -1;
  const aNumber = typeof a === "number";
  const bNumber = typeof b === "number";
  if (aNumber && typeof b === "string") return -1;
  if (typeof a === "string" && bNumber) return 1;
  let order = 0;
  if (aNumber && bNumber) order = (a as number) - (b as number);
  else if (typeof a === "string" && typeof b === "string") order = compareCodePoints(a, b);
  else return 0;
  return ascending ? order : -order;
}

function compareDistances(ascending: boolean, a: number | null, b: number | null): Order {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  return ascending ? a - b : b - a;
}

/** One rule's order, or null when the two values cannot be compared (other rule, other direction). */
function compareRule(a: RuleValue, b: RuleValue): Order | null {
  if (typeof a === "number") return typeof b === "number" ? b - a : null;
  if (typeof b === "number") return null;
  switch (a.kind) {
    case "vector":
      return b.kind === "vector" ? b.similarity - a.similarity : null;
    case "sort":
      if (b.kind !== "sort" || a.ascending !== b.ascending) return null;
      return compareSortValues(a.ascending, a.value, b.value);
    case "geo":
      if (b.kind !== "geo" || a.ascending !== b.ascending) return null;
      return compareDistances(a.ascending, a.distance, b.distance);
  }
}

/** Miroir's tie-break between equally ranked hits: integer keys first by value, then strings. */
export function comparePrimaryKeys(a: unknown, b: unknown): Order {
  const aNumber = typeof a === "number";
  const bNumber = typeof b === "number";
  if (aNumber && bNumber) return (a as number) - (b as number);
  if (aNumber !== bNumber) return aNumber ? -1 : 1;
  if (typeof a === "string" && typeof b === "string") return compareCodePoints(a, b);
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? 1 : -1;
  return 0;
}

/**
 * Meilisearch's own ranking order across answers: rule by rule in ranking-rule order; when
 * the details cannot be compared (a rule missing on one side, another rule or direction),
 * by the global ranking score; then by primary key so the order is total and stable.
 */
export function compareRankingKeys(a: RankingKey, b: RankingKey): Order {
  const rules = Math.max(a.rules.length, b.rules.length);
  for (let i = 0; i < rules; i++) {
    const left = a.rules[i];
    const right = b.rules[i];
    const order = left && right ? compareRule(left, right) : null;
    if (order === null) break;
    if (order !== 0) return order;
  }
  const byScore = b.score - a.score;
  if (byScore !== 0) return byScore;
  return comparePrimaryKeys(a.primaryKey, b.primaryKey);
}
