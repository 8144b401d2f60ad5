import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { settings } from "../test/ranked-documents.js";
import { distinctCountQuery, distinctCountsOf } from "./distinct-totals.js";
import { mergeCheckedSearch, widerDistinctShardLimit } from "./merge-search.js";
import type { Hit, SearchQuery, SearchResponseBody } from "./types.js";

/** A candidate: its ranking bucket (lower is better), its id, and its value (or none). */
interface Doc {
  id: number;
  bucket: number;
  value: string | null;
}

const hitOf = (doc: Doc): Hit => ({
  id: doc.id,
  ...(doc.value === null ? {} : { genre: doc.value }),
  _rankingScore: 1 - doc.bucket / 10,
  _rankingScoreDetails: { words: { order: 0, score: 1 - doc.bucket / 10 } },
});

const ranked = (docs: readonly Doc[]) =>
  [...docs].sort((a, b) => a.bucket - b.bucket || a.id - b.id);

/**
 * Meilisearch's bucket sort with a distinct attribute, as one node holding `docs` runs it:
 * every bucket is walked until `kept` documents are kept, then the documents of each value
 * kept are removed from the candidates, one kept.
 */
function nodeEstimate(docs: readonly Doc[], kept: number): number {
  if (kept === 0) return docs.length;
  const order = ranked(docs);
  const seen = new Set<string>();
  let count = 0;
  let boundary: number | undefined;
  for (const doc of order) {
    if (boundary !== undefined && doc.bucket !== boundary) break;
    if (doc.value !== null && seen.has(doc.value)) continue;
    if (doc.value !== null) seen.add(doc.value);
    count++;
    if (count === kept) boundary = doc.bucket;
  }
  const removed = docs.filter((doc) => doc.value !== null && seen.has(doc.value)).length;
  return docs.length - removed + seen.size;
}

function nodeExhaustive(docs: readonly Doc[]): number {
  const values = new Set(docs.flatMap((doc) => (doc.value === null ? [] : [doc.value])));
  return values.size + docs.filter((doc) => doc.value === null).length;
}

/** One shard's answers to its distinct query (the first `limit` kept) and its count query. */
function shardAnswers(docs: readonly Doc[], limit: number) {
  const seen = new Set<string>();
  const hits: Hit[] = [];
  for (const doc of ranked(docs)) {
    if (hits.length === limit) break;
    if (doc.value !== null && seen.has(doc.value)) continue;
    if (doc.value !== null) seen.add(doc.value);
    hits.push(hitOf(doc));
  }
  const answer: SearchResponseBody = { hits, processingTimeMs: 1, estimatedTotalHits: 0 };
  const distribution: Record<string, number> = {};
  for (const doc of docs) {
    if (doc.value !== null) distribution[doc.value] = (distribution[doc.value] ?? 0) + 1;
  }
  const counts: SearchResponseBody = {
    hits: [],
    processingTimeMs: 1,
    estimatedTotalHits: docs.length,
    facetDistribution: { genre: distribution },
  };
  return { answer, counts: distinctCountsOf(counts, "genre") };
}

/** What Miroir answers over `shards`, asking again with longer lists as the proxy does. */
function miroirTotal(shards: readonly Doc[][], query: SearchQuery): number | undefined {
  const config = settings();
  let limit = (query.offset ?? 0) + (query.limit ?? 20);
  if (typeof query.page === "number") limit = query.page * (query.hitsPerPage ?? 20);
  for (let round = 0; round < 10; round++) {
    const replies = shards.map((docs) => shardAnswers(docs, limit));
    const answers = replies.map((reply) => reply.answer);
    const wider = widerDistinctShardLimit(query, config, answers, limit);
    if (wider !== null) {
      limit = wider;
      continue;
    }
    const merged = mergeCheckedSearch(query, config, answers, {
      counts: replies.map((reply) => reply.counts),
      shardLimit: limit,
    });
    return merged.estimatedTotalHits ?? merged.totalHits;
  }
  return undefined;
}

const docsArbitrary = fc
  .array(
    fc.record({
      bucket: fc.integer({ min: 0, max: 5 }),
      value: fc.option(fc.constantFrom("a", "b", "c", "d", "e", "f", "g"), { nil: null }),
      shard: fc.integer({ min: 0, max: 2 }),
    }),
    { maxLength: 60 },
  )
  .map((entries) => entries.map((entry, id) => ({ ...entry, id })));

describe("distinct totals", () => {
  it("reports the estimate one node's ranking walk leaves, for any window and spread over shards", () => {
    fc.assert(
      fc.property(
        docsArbitrary,
        fc.integer({ min: 0, max: 6 }),
        fc.integer({ min: 0, max: 8 }),
        (docs, offset, limit) => {
          const shards = [0, 1, 2].map((shard) => docs.filter((doc) => doc.shard === shard));
          const query = { q: "a", distinct: "genre", offset, limit };
          expect(miroirTotal(shards, query)).toBe(nodeEstimate(docs, offset + limit));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("reports the exhaustive count (one per value, plus documents without one) in page mode", () => {
    fc.assert(
      fc.property(docsArbitrary, fc.integer({ min: 1, max: 3 }), (docs, page) => {
        const shards = [0, 1, 2].map((shard) => docs.filter((doc) => doc.shard === shard));
        const query = { q: "a", distinct: "genre", page, hitsPerPage: 2 };
        expect(miroirTotal(shards, query)).toBe(nodeExhaustive(docs));
      }),
      { numRuns: 200 },
    );
  });

  it("asks each shard for the query without distinct, with no hits and the attribute's facet", () => {
    const counting = distinctCountQuery(
      { q: "a", distinct: "genre", offset: 0, limit: 8, facets: ["year"], filter: "x = 1" },
      "genre",
    );
    expect(counting).toEqual({ q: "a", offset: 0, limit: 0, facets: ["genre"], filter: "x = 1" });
  });

  it("groups values as facets do: strings by their normalised form, numbers by their written form", () => {
    const counts = distinctCountsOf(
      {
        hits: [],
        processingTimeMs: 1,
        estimatedTotalHits: 9,
        facetDistribution: { genre: { Drama: 2, " drama": 3, "3": 4 } },
      },
      "genre",
    );
    expect(Object.fromEntries(counts.values)).toEqual({ drama: 5, "3": 4 });
  });
});
