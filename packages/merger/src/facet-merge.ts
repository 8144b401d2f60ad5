import {
  type CountedFacetValue,
  compareFacetValuesAlpha,
  countedFacetValue,
  normalisedFacetValue,
  orderFacetValues,
} from "./facet-value-order.js";
import { KWayMerge } from "./k-way-merge.js";
import { compareCodePoints } from "./ranking-order.js";
import type { FacetDistribution, FacetStats, FacetValueOrder } from "./types.js";

/** Sums the counts of one facet across answers; the first spelling seen of a value is shown. */
export function sumFacetCounts(
  perAnswer: readonly (Record<string, number> | undefined)[],
): CountedFacetValue[] {
  const byNormalised = new Map<string, CountedFacetValue>();
  for (const counts of perAnswer) {
    if (counts === undefined) continue;
    for (const value in counts) {
      const count = counts[value] as number;
      const entry = byNormalised.get(normalisedFacetValue(value));
      if (entry) entry.count += count;
      else {
        const counted = countedFacetValue(value, count);
        byNormalised.set(counted.normalised, counted);
      }
    }
  }
  return [...byNormalised.values()];
}

function sortedFacetNames(maps: readonly (Record<string, unknown> | undefined)[]): string[] {
  const names = new Set<string>();
  for (const map of maps) if (map) for (const name in map) names.add(name);
  return [...names].sort(compareCodePoints);
}

// An array index: the keys a JavaScript object lists first, in numeric order.
const ARRAY_INDEX = /^(?:0|[1-9]\d{0,9})$/;
const MAX_ARRAY_INDEX = 2 ** 32 - 2;

function isArrayIndex(key: string): boolean {
  return ARRAY_INDEX.test(key) && Number(key) <= MAX_ARRAY_INDEX;
}

/**
 * One node's values as lists each already in alphabetical order. The node sent them in
 * that order, but a parsed JSON object lists integer-like keys ("8") before all others
 * ("10.5"): its keys are two ordered runs, the integer-like ones by value and the rest in
 * the order sent. Splitting them costs a test per integer-like key and nothing else.
 */
function alphabeticalRuns(counts: Record<string, number> | undefined): string[][] {
  if (counts === undefined) return [];
  const keys = Object.keys(counts);
  let split = 0;
  while (split < keys.length && isArrayIndex(keys[split] as string)) split++;
  if (split === 0 || split === keys.length) return [keys];
  return [keys.slice(0, split), keys.slice(split)];
}

/**
 * The first `maxValues` values in alphabetical order with their summed counts. Each node
 * listed its own first values in that order, so a value among the first `maxValues`
 * overall is among the first `maxValues` of every node that has it: merging the node
 * lists gives the exact answer while reading only the front of each list.
 */
export function firstFacetValuesAlpha(
  perAnswer: readonly (Record<string, number> | undefined)[],
  maxValues: number,
): CountedFacetValue[] {
  const runs: string[][] = [];
  const countsOfRun: Record<string, number>[] = [];
  for (const counts of perAnswer) {
    for (const run of alphabeticalRuns(counts)) {
      runs.push(run);
      countsOfRun.push(counts as Record<string, number>);
    }
  }
  const merge = new KWayMerge(
    runs,
    (value, run) =>
      countedFacetValue(value, (countsOfRun[run] as Record<string, number>)[value] as number),
    compareFacetValuesAlpha,
  );
  const byNormalised = new Map<string, CountedFacetValue>();
  const first: CountedFacetValue[] = [];
  for (let value = merge.nextKey(); value !== undefined; value = merge.nextKey()) {
    const entry = byNormalised.get(value.normalised);
    if (entry) {
      entry.count += value.count;
      continue;
    }
    if (first.length === maxValues) break;
    byNormalised.set(value.normalised, value);
    first.push(value);
  }
  return first;
}

/**
 * Sums distributions and truncates each facet to what the client may see, in the facet's
 * configured order. Facet names come out sorted, as Meilisearch serialises them.
 */
export function mergeFacetDistributions(
  distributions: readonly (FacetDistribution | undefined)[],
  orderOf: (facet: string) => FacetValueOrder,
  maxValuesPerFacet: number,
): FacetDistribution {
  const merged: FacetDistribution = {};
  for (const facet of sortedFacetNames(distributions)) {
    const perAnswer = distributions.map((distribution) => distribution?.[facet]);
    const values =
      orderOf(facet) === "alpha"
        ? firstFacetValuesAlpha(perAnswer, maxValuesPerFacet)
        : orderFacetValues(sumFacetCounts(perAnswer), "count", maxValuesPerFacet);
    const counts: Record<string, number> = {};
    for (const { value, count } of values) {
      counts[value] = count;
    }
    merged[facet] = counts;
  }
  return merged;
}

/** Min of the minima and max of the maxima. */
export function mergeFacetStats(all: readonly (FacetStats | undefined)[]): FacetStats {
  const merged: FacetStats = {};
  for (const facet of sortedFacetNames(all)) {
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (const stats of all) {
      const one = stats?.[facet];
      if (!one) continue;
      min = Math.min(min, one.min);
      max = Math.max(max, one.max);
    }
    merged[facet] = { min, max };
  }
  return merged;
}
