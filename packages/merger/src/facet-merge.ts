import { mergeAlphaFacetValues } from "./alpha-facet-merge.js";
import { type CountedFacetValue, countedFacetValue, nodeFacetValues } from "./facet-value-order.js";
import { compareCodePoints } from "./ranking-order.js";
import type { FacetDistribution, FacetStats, FacetValueOrder } from "./types.js";

/**
 * Sums the counts of one facet across answers, a string value by its normalised form; the
 * first spelling seen of a value is shown.
 */
export function sumFacetCounts(
  perAnswer: readonly (Record<string, number> | undefined)[],
): CountedFacetValue[] {
  const byNormalised = new Map<string, CountedFacetValue>();
  for (const counts of perAnswer) {
    if (counts === undefined) continue;
    for (const value in counts) {
      const counted = countedFacetValue(value, counts[value] as number);
      const entry = byNormalised.get(counted.normalised);
      if (entry) entry.count += counted.count;
      else byNormalised.set(counted.normalised, counted);
    }
  }
  return [...byNormalised.values()];
}

function sortedFacetNames(maps: readonly (Record<string, unknown> | undefined)[]): string[] {
  const names = new Set<string>();
  for (const map of maps) if (map) for (const name in map) names.add(name);
  return [...names].sort(compareCodePoints);
}

/**
 * Sums distributions (each node listed every value it holds: nodes keep a large
 * `maxValuesPerFacet`) and keeps, per facet, the values one node holding every document
 * shows for `candidates` matching documents, in its order (`nodeFacetValues`). Facet
 * names come out sorted, as Meilisearch serialises them.
 */
export function mergeFacetDistributions(
  distributions: readonly (FacetDistribution | undefined)[],
  orderOf: (facet: string) => FacetValueOrder,
  maxValuesPerFacet: number,
  candidates: number,
): FacetDistribution {
  const merged: FacetDistribution = {};
  for (const facet of sortedFacetNames(distributions)) {
    const perAnswer = distributions.map((distribution) => distribution?.[facet]);
    const order = orderOf(facet);
    // No prototype: a value named `__proto__` is a key like any other, and a dictionary
    // from the start costs half as much to fill as an object moving through shapes.
    const counts: Record<string, number> = Object.create(null);
    if (order === "alpha" && maxValuesPerFacet > 0) {
      mergeAlphaFacetValues(perAnswer, maxValuesPerFacet, candidates, counts);
    } else {
      const values = nodeFacetValues(
        sumFacetCounts(perAnswer),
        order,
        maxValuesPerFacet,
        candidates,
      );
      for (const { value, count } of values) counts[value] = count;
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
