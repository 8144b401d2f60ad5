import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { settings } from "../test/ranked-documents.js";
import { planShardQuery } from "./plan-shard-query.js";
import { mergeCheckedSimilar, planSimilarSearch, type SimilarQuery } from "./similar-documents.js";
import type { Hit, SearchResponseBody } from "./types.js";

const TARGET = [0.1, 0.2, 0.3];

/** A semantic hit as a node shows it: its similarity is its score. */
const hit = (id: number, score: number, fields: Record<string, unknown> = {}): Hit => ({
  id,
  ...fields,
  _miroir_shard: 0,
  _rankingScore: score,
  _rankingScoreDetails: { vectorSort: { order: 0, similarity: score } },
});

const answer = (hits: Hit[]): SearchResponseBody => ({
  hits,
  processingTimeMs: hits.length,
  estimatedTotalHits: hits.length,
});

describe("similar documents over shards", () => {
  it("asks every shard one hit more than the window, as a pure semantic search", () => {
    const plan = planSimilarSearch(
      { id: 7, embedder: "e", offset: 5, limit: 3 },
      TARGET,
      settings(),
    );
    expect(plan.search).toMatchObject({
      vector: TARGET,
      hybrid: { embedder: "e", semanticRatio: 1 },
      offset: 0,
      limit: 9,
      showRankingScore: true,
      showRankingScoreDetails: true,
    });
    expect(plan.settings.pagination.maxTotalHits).toBe(1001);
    const shardQuery = planShardQuery(plan.search, plan.settings, [2, 5]).query;
    expect(shardQuery.filter).toBe("_miroir_shard IN [2, 5]");
  });

  it("retrieves the primary key when the client's fields leave it out, and hides it again", () => {
    const query: SimilarQuery = { id: 1, embedder: "e", attributesToRetrieve: ["title"] };
    const plan = planSimilarSearch(query, TARGET, settings());
    expect(plan.search.attributesToRetrieve).toEqual(["title", "id"]);
    const merged = mergeCheckedSimilar(query, plan, [
      answer([hit(1, 1, { title: "self" }), hit(4, 0.8, { title: "four" })]),
    ]);
    expect(merged.hits).toEqual([{ title: "four" }]);
  });

  it("leaves the target out, cuts the window after it and counts it out of the total", () => {
    const query: SimilarQuery = { id: 3, embedder: "e", offset: 1, limit: 2 };
    const plan = planSimilarSearch(query, TARGET, settings());
    const merged = mergeCheckedSimilar(query, plan, [
      answer([hit(3, 1), hit(8, 0.7), hit(2, 0.4)]),
      answer([hit(5, 0.9), hit(6, 0.5)]),
    ]);
    expect(merged).toEqual({
      hits: [{ id: 8 }, { id: 6 }],
      id: "3",
      processingTimeMs: 3,
      limit: 2,
      offset: 1,
      estimatedTotalHits: 4,
    });
  });

  it("shows the scores only when the client asked for them", () => {
    const query: SimilarQuery = { id: 3, embedder: "e", showRankingScore: true };
    const plan = planSimilarSearch(query, TARGET, settings());
    const [first] = mergeCheckedSimilar(query, plan, [answer([hit(4, 0.6)])]).hits;
    expect(first).toEqual({ id: 4, _rankingScore: 0.6 });
  });

  it("answers the total it is given, capped at maxTotalHits, instead of the shards' own", () => {
    const query: SimilarQuery = { id: 3, embedder: "e", limit: 1 };
    const plan = planSimilarSearch(query, TARGET, settings());
    const bodies = [answer([hit(3, 1), hit(8, 0.7)]), answer([hit(5, 0.9)])];
    expect(mergeCheckedSimilar(query, plan, bodies, 119).estimatedTotalHits).toBe(119);
    expect(mergeCheckedSimilar(query, plan, bodies, 5000).estimatedTotalHits).toBe(1000);
  });

  it("never returns the target, and returns the most similar others in order, however the shards split them", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 1, max: 4 }),
        fc.nat({ max: 5 }),
        fc.integer({ min: 0, max: 6 }),
        (ids, shardCount, offset, limit) => {
          const target = ids[0] as number;
          // The target is the most similar to itself, as its own embedding is the query.
          const hits = ids.map((id) => hit(id, id === target ? 1 : 0.9 - id / 100));
          const query: SimilarQuery = { id: target, embedder: "e", offset, limit };
          const plan = planSimilarSearch(query, TARGET, settings());
          const shards = Array.from({ length: shardCount }, (_, shard) =>
            answer(
              hits
                .filter((_, at) => at % shardCount === shard)
                .sort((a, b) => (b._rankingScore as number) - (a._rankingScore as number)),
            ),
          );
          const expected = ids
            .filter((id) => id !== target)
            .sort((a, b) => a - b)
            .slice(offset, offset + limit);
          const merged = mergeCheckedSimilar(query, plan, shards);
          expect(merged.hits.map((document) => document.id)).toEqual(expected);
          expect(merged.estimatedTotalHits).toBe(ids.length - 1);
        },
      ),
    );
  });
});
