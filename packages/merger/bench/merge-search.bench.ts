import { bench, describe } from "vitest";
import { type Hit, mergeSearch, type NodeSearchAnswer } from "../src/index.js";
import { settings } from "../test/ranked-documents.js";

const RULES = ["words", "typo", "proximity", "attributeRank", "wordPosition", "exactness"];

/** A rule's score details as a real node writes them (some rules carry more than a score). */
function ruleDetails(rule: string, order: number, score: number): Record<string, unknown> {
  if (rule === "words") return { order, matchingWords: 1, maxMatchingWords: 1, score };
  if (rule === "typo") return { order, typoCount: 0, maxTypoCount: 1, score };
  if (rule === "exactness") return { order, matchType: "exactMatch", score };
  return { order, score };
}

/**
 * A node's answer of `count` hits already in ranking order, like a real node sends it:
 * Miroir's `_miroir_shard` first (it is the first field of every document Miroir stores),
 * the scores last.
 */
function nodeAnswer(node: number, count: number, facets: number, facetValues: number) {
  const hits: Hit[] = [];
  for (let i = 0; i < count; i++) {
    const score = 1 - (i + node / 10) / (count + 1);
    const details: Record<string, unknown> = {};
    RULES.forEach((rule, order) => {
      details[rule] = ruleDetails(rule, order, order === 0 ? score : 1);
    });
    hits.push({
      _miroir_shard: node,
      id: node * 100_000 + i,
      title: `Document ${i} of node ${node}`,
      genre: `genre-${i % 17}`,
      _rankingScore: score,
      _rankingScoreDetails: details,
    });
  }
  const facetDistribution: Record<string, Record<string, number>> = {};
  for (let f = 0; f < facets; f++) {
    // Listed in a node's order (alphabetical), as a node answers.
    const values: string[] = [];
    for (let v = 0; v < facetValues; v++) values.push(`value-${node}-${v}`);
    const counts: Record<string, number> = {};
    values.sort().forEach((value, v) => {
      counts[value] = (v * 7 + node) % 50;
    });
    facetDistribution[`facet${f}`] = counts;
  }
  const body = { hits, query: "q", processingTimeMs: 3, limit: count, offset: 0 };
  const sent = { ...body, estimatedTotalHits: count * 4, ...(facets ? { facetDistribution } : {}) };
  // Parsed from JSON text, as the proxy receives it: objects built key by key (100 facet
  // values) are dictionaries in V8, slower to read than any parsed answer.
  return { node: `n${node}`, body: JSON.parse(JSON.stringify(sent)) } satisfies NodeSearchAnswer;
}

const large = [0, 1, 2].map((node) => nodeAnswer(node, 1_000, 5, 100));
const common = [0, 1, 2, 3, 4, 5, 6, 7].map((node) => nodeAnswer(node, 20, 0, 0));
const facetNames = ["facet0", "facet1", "facet2", "facet3", "facet4"];

/**
 * Warmed up past V8's optimising tiers before the samples count (on a loaded machine the
 * optimising compiler's thread waits its turn too: two seconds at least), then two seconds
 * of samples each.
 */
const WARM = { warmupTime: 2_000, warmupIterations: 1_000, time: 2_000 };

describe("mergeSearch", () => {
  bench(
    "3 × 1 000 hits, 5 facets × 100 values, limit 1 000",
    () => {
      mergeSearch({ q: "q", limit: 1_000, facets: facetNames }, settings(), large);
    },
    WARM,
  );

  bench(
    "8 × 20 hits, limit 20",
    () => {
      mergeSearch({ q: "q" }, settings(), common);
    },
    WARM,
  );
});
