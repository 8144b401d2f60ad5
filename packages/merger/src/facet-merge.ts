import { normalisedFacetValue, orderFacetValues } from "./facet-value-order.js";
import { compareCodePoints } from "./ranking-order.js";
import type { FacetDistribution, FacetStats, FacetValueOrder } from "./types.js";

/** Sums the counts of one facet across answers; the first spelling seen of a value is shown. */
export function sumFacetCounts(
  perAnswer: readonly (Record<string, number> | undefined)[],
): Array<[string, number]> {
  const byNormalised = new Map<string, [string, number]>();
  for (const counts of perAnswer) {
    if (counts === undefined) continue;
    for (const value in counts) {
      const count = counts[value] as number;
      const key = normalisedFacetValue(value);
      const entry = byNormalised.get(key);
      if (entry) entry[1] += count;
      else byNormalised.set(key, [value, count]);
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
    const entries = sumFacetCounts(distributions.map((distribution) => distribution?.[facet]));
    merged[facet] = Object.fromEntries(
      orderFacetValues(entries, orderOf(facet), maxValuesPerFacet),
    );
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
