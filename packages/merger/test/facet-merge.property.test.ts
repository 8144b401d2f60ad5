import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { mergeSearch } from "../src/index.js";
import { settings } from "./ranked-documents.js";

/** What one node shows: its first `max` values in alphabetical (or count) order. */
function nodeDistribution(counts: Map<string, number>, max: number, byCount: boolean) {
  const entries = [...counts].sort((a, b) =>
    byCount ? b[1] - a[1] || (a[0] < b[0] ? -1 : 1) : a[0] < b[0] ? -1 : 1,
  );
  return Object.fromEntries(entries.slice(0, max));
}

const shardCounts = fc.array(
  fc.dictionary(fc.stringMatching(/^[a-f]{1,3}$/), fc.integer({ min: 1, max: 9 })),
  { minLength: 1, maxLength: 8 },
);

describe("merged facet distribution", () => {
  it("is exact in alphabetical order: the first values of the union with their total counts", () => {
    fc.assert(
      fc.property(shardCounts, fc.integer({ min: 1, max: 6 }), (shards, max) => {
        const answers = shards.map((counts, i) => ({
          node: `n${i}`,
          body: {
            hits: [],
            processingTimeMs: 0,
            estimatedTotalHits: 0,
            facetDistribution: { f: nodeDistribution(new Map(Object.entries(counts)), max, false) },
          },
        }));
        const union = new Map<string, number>();
        for (const counts of shards) {
          for (const [value, count] of Object.entries(counts)) {
            union.set(value, (union.get(value) ?? 0) + count);
          }
        }
        const faceting = { maxValuesPerFacet: max, sortFacetValuesBy: { "*": "alpha" as const } };
        const merged = mergeSearch({ facets: ["f"] }, settings({ faceting }), answers);
        expect(Object.entries(merged.facetDistribution?.f ?? {})).toEqual(
          Object.entries(nodeDistribution(union, max, false)),
        );
      }),
      { numRuns: 200 },
    );
  });
});
