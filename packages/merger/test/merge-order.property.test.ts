import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { mergeSearch, planShardQuery, type SearchQuery } from "../src/index.js";
import {
  nodeAnswer,
  type RankedDocument,
  referenceOrder,
  settings,
  type TestRule,
} from "./ranked-documents.js";

const relevanceRule = fc.record({
  name: fc.constantFrom("words", "typo", "proximity", "attributeRank", "exactness" as const),
  maxRank: fc.integer({ min: 1, max: 4 }),
});
const sortRule = fc.record({
  name: fc.constantFrom("price", "title", "year"),
  sortAscending: fc.boolean(),
});
const rulesArbitrary = fc
  .array(fc.oneof(relevanceRule, sortRule), { minLength: 1, maxLength: 5 })
  .map((rules) => rules.filter((rule, i) => rules.findIndex((r) => r.name === rule.name) === i));

const sortValue = fc.oneof(
  fc.integer({ min: -3, max: 3 }),
  fc.constantFrom("a", "b", "B", "ab", " Ab", "AB "),
  fc.constant(null),
);

function documentsFor(rules: readonly TestRule[]) {
  const verdict = (rule: TestRule) =>
    "sortAscending" in rule ? sortValue : fc.integer({ min: 1, max: rule.maxRank });
  return fc
    .array(fc.tuple(...rules.map(verdict)), { maxLength: 60 })
    .map((rows) => rows.map((verdicts, id): RankedDocument => ({ id, verdicts })));
}

const scenario = rulesArbitrary.chain((rules) =>
  fc.record({
    rules: fc.constant(rules),
    documents: documentsFor(rules),
    shardCount: fc.integer({ min: 1, max: 8 }),
    seed: fc.integer({ min: 0, max: 1_000 }),
  }),
);

function splitAcrossShards(documents: RankedDocument[], shardCount: number, seed: number) {
  const shards: RankedDocument[][] = Array.from({ length: shardCount }, () => []);
  for (const document of documents) {
    shards[(document.id * 7919 + seed) % shardCount]?.push(document);
  }
  return shards;
}

describe("merged order", () => {
  it("equals sorting the union once, for any ranking rules split across 1–8 shards", () => {
    fc.assert(
      fc.property(scenario, ({ rules, documents, shardCount, seed }) => {
        const shards = splitAcrossShards(documents, shardCount, seed);
        const query = { q: "x", limit: documents.length + 1 };
        const answers = shards.map((docs, i) => nodeAnswer(`n${i}`, rules, docs, query.limit));
        const merged = mergeSearch(query, settings(), answers);
        const expected = [...documents].sort(referenceOrder(rules)).map((d) => d.id);
        expect(merged.hits.map((hit) => hit.id)).toEqual(expected);
        expect(merged.estimatedTotalHits).toBe(documents.length);
      }),
      { numRuns: 200 },
    );
  });

  it("gives pages of size k that concatenate to one query of the same total, no duplicate, no gap", () => {
    fc.assert(
      fc.property(scenario, fc.integer({ min: 1, max: 7 }), fc.boolean(), (s, k, pageMode) => {
        const shards = splitAcrossShards(s.documents, s.shardCount, s.seed);
        const pages = Math.ceil(s.documents.length / k) + 1;
        // Each node answers exactly what the plan asks of it: its first `limit` (or
        // `hitsPerPage`) hits.
        const ask = (query: SearchQuery) =>
          shards.map((docs, i) => {
            const planned = planShardQuery(query, settings(), [i]).query;
            const size = (pageMode ? planned.hitsPerPage : planned.limit) as number;
            return nodeAnswer(`n${i}`, s.rules, docs, size);
          });
        const wholeQuery = pageMode ? { hitsPerPage: pages * k } : { limit: pages * k };
        const whole = mergeSearch(wholeQuery, settings(), ask(wholeQuery));
        const paged = [];
        for (let p = 0; p < pages; p++) {
          const query = pageMode ? { page: p + 1, hitsPerPage: k } : { offset: p * k, limit: k };
          paged.push(...mergeSearch(query, settings(), ask(query)).hits);
        }
        const ids = paged.map((hit) => hit.id);
        expect(ids).toEqual(whole.hits.map((hit) => hit.id));
        expect(new Set(ids).size).toBe(s.documents.length);
      }),
      { numRuns: 150 },
    );
  });
});
