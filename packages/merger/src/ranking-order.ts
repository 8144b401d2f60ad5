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
 * Strings arrive normalised (see `ruleValues`) and compare in code-point order. Other JSON
 * types compare equal.
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

/** Scores this close are equal, as in Meilisearch's federation (float noise is not rank). */
function compareScores(a: number, b: number): Order {
  return Math.abs(a - b) <= Number.EPSILON ? 0 : b - a;
}

/** How many groups of rules follow position `from`: consecutive relevance rules form one group. */
function remainingGroups(rules: readonly RuleValue[], from: number): number {
  let groups = 0;
  for (let i = from; i < rules.length; i++) {
    if (typeof rules[i] !== "number" || typeof rules[i - 1] !== "number" || i === from) groups++;
  }
  return groups;
}

/**
 * Meilisearch's own ranking order across answers (its federation's comparison), better
 * first: rule by rule in ranking-rule order. A hit whose details end first ranks after;
 * opposite sort directions are decided by the global ranking score; rules of different
 * kinds rank the hit with more rule groups left first, then by the global score; opposite
 * geo directions are skipped. Equal hits are ordered by score, then primary key, so the
 * order is total and stable.
 */
export function compareRankingKeys(a: RankingKey, b: RankingKey): Order {
  const rules = Math.max(a.rules.length, b.rules.length);
  for (let i = 0; i < rules; i++) {
    const left = a.rules[i];
    const right = b.rules[i];
    if (left === undefined || right === undefined) return left === undefined ? 1 : -1;
    let order: Order;
    if (typeof left === "number" && typeof right === "number") {
      order = compareScores(left, right);
    } else if (typeof left === "number" || typeof right === "number" || left.kind !== right.kind) {
      const groups = remainingGroups(b.rules, i + 1) - remainingGroups(a.rules, i + 1);
      return groups !== 0 ? groups : compareScores(a.score, b.score);
    } else if (left.kind === "sort" && right.kind === "sort") {
      if (left.ascending !== right.ascending) return compareScores(a.score, b.score);
      order = compareSortValues(left.ascending, left.value, right.value);
    } else if (left.kind === "geo" && right.kind === "geo" && left.ascending === right.ascending) {
      order = compareDistances(left.ascending, left.distance, right.distance);
    } else {
      order = 0;
    }
    if (order !== 0) return order;
  }
  return compareScores(a.score, b.score) || comparePrimaryKeys(a.primaryKey, b.primaryKey);
}
