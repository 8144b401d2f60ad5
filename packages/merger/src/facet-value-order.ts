import { compareCodePoints, compareUtf16, hasSurrogates } from "./ranking-order.js";
import type { FacetValueOrder, MergeSettings } from "./types.js";

/**
 * Meilisearch groups facet values by their normalised form (trimmed, lower-cased), so the
 * same value spelled differently on two shards is one value.
 */
export function normalisedFacetValue(value: string): string {
  return value.trim().toLowerCase();
}

const NUMERIC = /^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

/** A facet value with its count and the keys its order needs, computed once. */
export interface CountedFacetValue {
  value: string;
  count: number;
  normalised: string;
  /** The number a numeric facet value stands for; NaN for strings. */
  number: number;
  /** No surrogate pairs: UTF-16 order is code-point order, the fast comparison applies. */
  plain: boolean;
}

/** Whether `value` can be a number at all: it starts with a digit, "-" or ".". */
function mayBeNumeric(value: string): boolean {
  const first = value.charCodeAt(0);
  return (first >= 48 && first <= 57) || first === 45 || first === 46;
}

export function countedFacetValue(value: string, count: number): CountedFacetValue {
  const normalised = normalisedFacetValue(value);
  return {
    value,
    count,
    normalised,
    number: mayBeNumeric(value) && NUMERIC.test(value) ? Number(value) : Number.NaN,
    plain: !hasSurrogates(normalised),
  };
}

/**
 * Alphabetical order as Meilisearch lists facet values: numbers first by value, then
 * strings by their normalised form in byte order.
 */
export function compareFacetValuesAlpha(a: CountedFacetValue, b: CountedFacetValue): number {
  const aNumeric = !Number.isNaN(a.number);
  const bNumeric = !Number.isNaN(b.number);
  if (aNumeric && bNumeric) return a.number - b.number;
  if (aNumeric !== bNumeric) return aNumeric ? -1 : 1;
  return a.plain && b.plain
    ? compareUtf16(a.normalised, b.normalised)
    : compareCodePoints(a.normalised, b.normalised);
}

/** Count order: most frequent first, ties alphabetical. */
export function compareFacetCounts(a: CountedFacetValue, b: CountedFacetValue): number {
  return b.count - a.count || compareFacetValuesAlpha(a, b);
}

/** The order configured for one facet: its own entry, else `*`, else alpha. */
export function facetValueOrderOf(settings: MergeSettings, facet: string): FacetValueOrder {
  const orders = settings.faceting.sortFacetValuesBy;
  return orders[facet] ?? orders["*"] ?? "alpha";
}

export function orderFacetValues(
  values: CountedFacetValue[],
  order: FacetValueOrder,
  maxValues: number,
): CountedFacetValue[] {
  values.sort(order === "count" ? compareFacetCounts : compareFacetValuesAlpha);
  return values.length > maxValues ? values.slice(0, maxValues) : values;
}
