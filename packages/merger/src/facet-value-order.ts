import { compareCodePoints } from "./ranking-order.js";
import type { FacetValueOrder, MergeSettings } from "./types.js";

/**
 * Meilisearch groups facet values by their normalised form (trimmed, lower-cased), so the
 * same value spelled differently on two shards is one value.
 */
export function normalisedFacetValue(value: string): string {
  return value.trim().toLowerCase();
}

const NUMERIC = /^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

/**
 * Alphabetical order as Meilisearch lists facet values: numbers first by value, then
 * strings by their normalised form in byte order.
 */
export function compareFacetValuesAlpha(a: string, b: string): number {
  const aNumeric = NUMERIC.test(a);
  const bNumeric = NUMERIC.test(b);
  if (aNumeric && bNumeric) return Number(a) - Number(b);
  if (aNumeric !== bNumeric) return aNumeric ? -1 : 1;
  return compareCodePoints(normalisedFacetValue(a), normalisedFacetValue(b));
}

/** The order configured for one facet: its own entry, else `*`, else alpha. */
export function facetValueOrderOf(settings: MergeSettings, facet: string): FacetValueOrder {
  const orders = settings.faceting.sortFacetValuesBy;
  return orders[facet] ?? orders["*"] ?? "alpha";
}

/** Count order: most frequent first, ties alphabetical. */
export function compareFacetCounts(
  a: readonly [string, number],
  b: readonly [string, number],
): number {
  return b[1] - a[1] || compareFacetValuesAlpha(a[0], b[0]);
}

export function orderFacetValues(
  entries: Array<[string, number]>,
  order: FacetValueOrder,
  maxValues: number,
): Array<[string, number]> {
  entries.sort(
    order === "count" ? compareFacetCounts : (a, b) => compareFacetValuesAlpha(a[0], b[0]),
  );
  return entries.length > maxValues ? entries.slice(0, maxValues) : entries;
}
