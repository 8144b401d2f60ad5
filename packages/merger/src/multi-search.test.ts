import { describe, expect, it } from "vitest";
import { settings } from "../test/ranked-documents.js";
import { mergeMultiSearch, planMultiSearchShardQuery } from "./multi-search.js";
import { NodeAnswerError } from "./node-answer-error.js";

const hit = (id: number, score: number) => ({
  id,
  _miroir_shard: 1,
  _rankingScore: score,
  _rankingScoreDetails: { words: { order: 0, score } },
});
const result = (indexUid: string, hits: object[]) => ({
  indexUid,
  hits,
  query: "",
  processingTimeMs: 1,
  limit: 20,
  offset: 0,
  estimatedTotalHits: hits.length,
});

describe("multi-search", () => {
  const queries = [
    { indexUid: "movies", q: "a", limit: 1 },
    { indexUid: "books", page: 1, hitsPerPage: 2 },
  ];
  const settingsOf = (uid: string) => settings({ primaryKey: uid === "books" ? "isbn" : "id" });

  it("plans every query for the node's shards", () => {
    const plan = planMultiSearchShardQuery(queries, settingsOf, [4]);
    expect(plan.queries).toEqual([
      expect.objectContaining({
        indexUid: "movies",
        offset: 0,
        limit: 1,
        filter: "_miroir_shard IN [4]",
      }),
      expect.objectContaining({ indexUid: "books", page: 1, hitsPerPage: 2 }),
    ]);
  });

  it("merges each query on its own and names its index first", () => {
    const merged = mergeMultiSearch(queries, settingsOf, [
      {
        node: "n1",
        body: { results: [result("movies", [hit(1, 0.5)]), result("books", [hit(3, 0.9)])] },
      },
      { node: "n2", body: { results: [result("movies", [hit(2, 0.7)]), result("books", [])] } },
    ]);
    expect(merged.results.map((r) => r.hits.map((h) => h.id))).toEqual([[2], [3]]);
    expect(Object.keys(merged.results[0] ?? {}).slice(0, 2)).toEqual(["indexUid", "hits"]);
    expect(merged.results[0]).toMatchObject({
      indexUid: "movies",
      estimatedTotalHits: 2,
      limit: 1,
    });
    expect(merged.results[1]).toMatchObject({ indexUid: "books", totalHits: 1, totalPages: 1 });
  });

  it("reports a node whose answer has the wrong shape or number of results", () => {
    const run = (body: unknown) => () =>
      mergeMultiSearch(queries, settingsOf, [{ node: "n9", body }]);
    expect(run({})).toThrow(NodeAnswerError);
    expect(run({ results: [result("movies", [])] })).toThrow(/1 results for 2 queries/);
    expect(run({ results: [result("movies", []), { hits: 1 }] })).toThrow(NodeAnswerError);
  });
});
