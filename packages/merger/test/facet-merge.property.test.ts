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

  it("is exact in alphabetical order for numeric values, whatever order a parsed object lists them in", () => {
    // Integers, decimals and negative numbers, as Meilisearch writes them, and a few strings.
    const facetValue = fc.oneof(
      fc.integer({ min: -20, max: 150 }).map(String),
      fc.integer({ min: -80, max: 600 }).map((quarters) => String(quarters / 4)),
      fc.stringMatching(/^[a-c]{1,2}$/),
    );
    const numericShards = fc.array(
      fc.dictionary(facetValue, fc.integer({ min: 1, max: 9 }), { maxKeys: 40 }),
      { minLength: 1, maxLength: 6 },
    );
    /** Meilisearch's alphabetical order: numbers by value, then strings. */
    const alphabetical = (a: string, b: string) => {
      const [x, y] = [Number(a), Number(b)];
      if (!Number.isNaN(x) && !Number.isNaN(y)) return x - y;
      if (Number.isNaN(x) !== Number.isNaN(y)) return Number.isNaN(x) ? 1 : -1;
      return a < b ? -1 : a > b ? 1 : 0;
    };
    /** The first `max` values as a node lists them, then as a JSON client parses them. */
    const firstValues = (counts: Iterable<[string, number]>, max: number) =>
      Object.fromEntries([...counts].sort((a, b) => alphabetical(a[0], b[0])).slice(0, max));
    fc.assert(
      fc.property(numericShards, fc.integer({ min: 1, max: 12 }), (shards, max) => {
        const answers = shards.map((counts, i) => ({
          node: `n${i}`,
          body: {
            hits: [],
            processingTimeMs: 0,
            estimatedTotalHits: 0,
            facetDistribution: {
              price: JSON.parse(JSON.stringify(firstValues(Object.entries(counts), max))),
            },
          },
        }));
        const union = new Map<string, number>();
        for (const counts of shards) {
          for (const [value, count] of Object.entries(counts)) {
            union.set(value, (union.get(value) ?? 0) + count);
          }
        }
        const faceting = { maxValuesPerFacet: max, sortFacetValuesBy: { "*": "alpha" as const } };
        const merged = mergeSearch({ facets: ["price"] }, settings({ faceting }), answers);
        expect(Object.entries(merged.facetDistribution?.price ?? {})).toEqual(
          Object.entries(firstValues(union, max)),
        );
      }),
      { numRuns: 300 },
    );
  });
});
