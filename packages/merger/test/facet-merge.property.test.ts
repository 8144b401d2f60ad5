import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { mergeSearch } from "../src/index.js";
import { settings } from "./ranked-documents.js";

const isNumber = (value: string) => /^-?\d+(\.\d+)?$/.test(value);
const bytes = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The values one Meilisearch node holding `union` shows, written from its documented
 * behaviour: numbers first, then strings; alphabetically over at most 3000 candidates,
 * numbers by their written form and `max` values in all; otherwise numbers by value (or
 * count, larger value first on ties), strings by form (or count, later form first), and
 * once the numbers alone fill `max`, every string follows them.
 */
function oneNode(
  union: Map<string, number>,
  max: number,
  order: "alpha" | "count",
  candidates: number,
): Record<string, number> {
  const numbers = [...union].filter(([value]) => isNumber(value));
  const strings = [...union].filter(([value]) => !isNumber(value));
  if (order === "alpha" && candidates <= 3000) {
    numbers.sort((a, b) => bytes(a[0], b[0]));
    strings.sort((a, b) => bytes(a[0], b[0]));
    const kept = numbers.slice(0, max);
    return Object.fromEntries([...kept, ...strings.slice(0, max - kept.length)]);
  }
  if (order === "alpha") {
    numbers.sort((a, b) => Number(a[0]) - Number(b[0]));
    strings.sort((a, b) => bytes(a[0], b[0]));
  } else {
    numbers.sort((a, b) => b[1] - a[1] || Number(b[0]) - Number(a[0]));
    strings.sort((a, b) => b[1] - a[1] || bytes(b[0], a[0]));
  }
  const kept = numbers.slice(0, max);
  return Object.fromEntries([
    ...kept,
    ...(kept.length < max ? strings.slice(0, max - kept.length) : strings),
  ]);
}

/**
 * The counts listed as a node lists an alphabetical facet: numbers by value, then strings
 * in byte order (a parsed object still moves integer-like keys first).
 */
function nodeOrdered(counts: Record<string, number>): Record<string, number> {
  const entries = Object.entries(counts);
  const numbers = entries.filter(([value]) => isNumber(value));
  const strings = entries.filter(([value]) => !isNumber(value));
  numbers.sort((a, b) => Number(a[0]) - Number(b[0]));
  strings.sort((a, b) => bytes(a[0], b[0]));
  return Object.fromEntries([...numbers, ...strings]);
}

// Integers, decimals and negative numbers as Meilisearch writes them, and a few strings.
const facetValue = fc.oneof(
  fc.integer({ min: -20, max: 150 }).map(String),
  fc.integer({ min: -80, max: 600 }).map((quarters) => String(quarters / 4)),
  fc.stringMatching(/^[a-f]{1,3}$/),
);
const shardCounts = fc.array(
  fc.dictionary(facetValue, fc.integer({ min: 1, max: 9 }), { maxKeys: 40 }),
  { minLength: 1, maxLength: 6 },
);

describe("merged facet distribution", () => {
  it("is the distribution one node holding every document shows, from complete node lists in any order", () => {
    fc.assert(
      fc.property(
        shardCounts,
        fc.integer({ min: 1, max: 12 }),
        fc.constantFrom("alpha" as const, "count" as const),
        fc.array(fc.integer({ min: 0, max: 2000 }), { minLength: 6, maxLength: 6 }),
        fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
        (shards, max, order, totals, inNodeOrder) => {
          // Each node lists every value it holds (nodes keep a large maxValuesPerFacet),
          // as a JSON client parses them (integer-like keys first).
          const answers = shards.map((counts, i) => ({
            node: `n${i}`,
            body: {
              hits: [],
              processingTimeMs: 0,
              estimatedTotalHits: totals[i] as number,
              facetDistribution: {
                price: JSON.parse(JSON.stringify(inNodeOrder[i] ? nodeOrdered(counts) : counts)),
              },
            },
          }));
          const union = new Map<string, number>();
          for (const counts of shards) {
            for (const [value, count] of Object.entries(counts)) {
              union.set(value, (union.get(value) ?? 0) + count);
            }
          }
          const candidates = answers.reduce(
            (sum, answer) => sum + answer.body.estimatedTotalHits,
            0,
          );
          const faceting = { maxValuesPerFacet: max, sortFacetValuesBy: { "*": order } };
          const merged = mergeSearch({ facets: ["price"] }, settings({ faceting }), answers);
          expect(merged.facetDistribution?.price).toEqual(oneNode(union, max, order, candidates));
        },
      ),
      { numRuns: 300 },
    );
  });
});
