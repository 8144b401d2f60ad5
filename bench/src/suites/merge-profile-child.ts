import { parseArgs } from "node:util";
import { type Hit, type MergeSettings, mergeSearch, type NodeSearchAnswer } from "@miroir/merger";
import { monotonicMicroseconds } from "../profile/cpu-profile-summary.js";

/**
 * Merges node answers shaped like the merger's own benchmark (3 nodes × 1 000 ranked hits,
 * 5 facets × 100 values, `limit` 1 000) in a loop for `--milliseconds`, so that a CPU
 * profile of this process shows where a merge spends its time. Prints the window and the
 * mean time per merge. The answers are built here, shaped as a real node writes them and
 * parsed from JSON text, because the merger's bench file is not importable; keep their
 * shape in step with `packages/merger/bench/merge-search.bench.ts`.
 */
const { values } = parseArgs({ options: { milliseconds: { type: "string", default: "2000" } } });

const RULES = ["words", "typo", "proximity", "attributeRank", "wordPosition", "exactness"];
const settings: MergeSettings = {
  primaryKey: "id",
  rankingRules: [...RULES.slice(0, 4), "sort", ...RULES.slice(4)],
  distinctAttribute: null,
  faceting: { maxValuesPerFacet: 100, sortFacetValuesBy: { "*": "alpha" } },
  pagination: { maxTotalHits: 1000 },
};

/** A rule's score details as a real node writes them (some rules carry more than a score). */
function ruleDetails(rule: string, order: number, score: number): Record<string, unknown> {
  if (rule === "words") return { order, matchingWords: 1, maxMatchingWords: 1, score };
  if (rule === "typo") return { order, typoCount: 0, maxTypoCount: 1, score };
  if (rule === "exactness") return { order, matchType: "exactMatch", score };
  return { order, score };
}

function nodeAnswer(node: number): NodeSearchAnswer {
  const count = 1_000;
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
  for (let f = 0; f < 5; f++) {
    // Listed in a node's order (alphabetical), as a node answers.
    const values: string[] = [];
    for (let v = 0; v < 100; v++) values.push(`value-${node}-${v}`);
    const counts: Record<string, number> = {};
    values.sort().forEach((value, v) => {
      counts[value] = (v * 7 + node) % 50;
    });
    facetDistribution[`facet${f}`] = counts;
  }
  const body = {
    hits,
    query: "q",
    processingTimeMs: 3,
    limit: count,
    offset: 0,
    estimatedTotalHits: count * 4,
    facetDistribution,
  };
  // Parsed from JSON text, as the proxy receives a node's answer (objects built key by key
  // with 100 facet values are dictionaries, slower to read than any parsed answer).
  return { node: `n${node}`, body: JSON.parse(JSON.stringify(body)) };
}

const answers = [0, 1, 2].map(nodeAnswer);
const query = { q: "q", limit: 1_000, facets: ["facet0", "facet1", "facet2", "facet3", "facet4"] };
const fromUs = monotonicMicroseconds();
const deadline = performance.now() + Number(values.milliseconds);
let merges = 0;
while (performance.now() < deadline) {
  mergeSearch(query, settings, answers);
  merges += 1;
}
const toUs = monotonicMicroseconds();
process.stdout.write(
  `${JSON.stringify({ window: { fromUs, toUs }, merges, meanMs: (toUs - fromUs) / 1000 / merges })}\n`,
);
