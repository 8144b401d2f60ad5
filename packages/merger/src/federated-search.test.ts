import { describe, expect, it } from "vitest";
import { settings } from "../test/ranked-documents.js";
import {
  type FederatedSearchRequest,
  mergeFederated,
  planFederatedShardQuery,
} from "./federated-search.js";
import { NodeAnswerError } from "./node-answer-error.js";

const settingsOf = (uid: string) => settings({ primaryKey: uid === "books" ? "isbn" : "id" });

function fedHit(id: number, position: number, score: number, weight: number, details?: object) {
  return {
    [position === 1 ? "isbn" : "id"]: id,
    _miroir_shard: 0,
    _rankingScore: score,
    _rankingScoreDetails: details ?? { words: { order: 0, score } },
    _federation: {
      indexUid: position === 1 ? "books" : "movies",
      queriesPosition: position,
      weightedRankingScore: score * weight,
    },
  };
}

const body = (hits: object[], extra: object = {}) => ({
  hits,
  processingTimeMs: 3,
  limit: 20,
  offset: 0,
  estimatedTotalHits: hits.length,
  ...extra,
});

const request = (
  federation: FederatedSearchRequest["federation"] = {},
): FederatedSearchRequest => ({
  federation,
  queries: [
    { indexUid: "movies", q: "a" },
    { indexUid: "books", q: "a", federationOptions: { weight: 2 }, showRankingScore: true },
  ],
});

describe("federated multi-search", () => {
  it("plans the widened federation window and each query for the node's shards, facets by index", () => {
    const plan = planFederatedShardQuery(
      request({ offset: 5, limit: 5, mergeFacets: {} }),
      settingsOf,
      [1],
    );
    expect(plan.federation).toEqual({ offset: 0, limit: 10 });
    expect(plan.queries[1]).toMatchObject({
      indexUid: "books",
      federationOptions: { weight: 2 },
      filter: "_miroir_shard IN [1]",
      showRankingScoreDetails: true,
    });
    expect(
      planFederatedShardQuery(request({ page: 3, hitsPerPage: 2 }), settingsOf, [1]).federation,
    ).toEqual({
      page: 1,
      hitsPerPage: 6,
    });
  });

  it("puts pagination in federation alone, as Meilisearch refuses it on a federated query", () => {
    const queries = [
      { indexUid: "movies", q: "a", offset: 3, limit: 7 },
      { indexUid: "books", q: "a", page: 2, hitsPerPage: 4 },
      { indexUid: "movies", q: "b" },
    ];
    for (const federation of [{}, { offset: 5, limit: 5 }, { page: 3, hitsPerPage: 2 }]) {
      const plan = planFederatedShardQuery({ federation, queries }, settingsOf, [0, 2]);
      const perQueryWindow = plan.queries.flatMap((query) =>
        Object.keys(query).filter((key) =>
          ["offset", "limit", "page", "hitsPerPage"].includes(key),
        ),
      );
      expect(perQueryWindow).toEqual([]);
      expect(plan.queries.map((query) => query.indexUid)).toEqual(["movies", "books", "movies"]);
    }
  });

  it("orders hits by weighted ranking score across queries and keeps _federation", () => {
    const merged = mergeFederated(request(), settingsOf, [
      { node: "n1", body: body([fedHit(1, 0, 0.9, 1), fedHit(2, 0, 0.3, 1)]) },
      { node: "n2", body: body([fedHit(3, 1, 0.5, 2), fedHit(4, 1, 0.1, 2)]) },
    ]);
    expect(merged.hits).toEqual([
      {
        isbn: 3,
        _rankingScore: 0.5,
        _federation: { indexUid: "books", queriesPosition: 1, weightedRankingScore: 1 },
      },
      { id: 1, _federation: { indexUid: "movies", queriesPosition: 0, weightedRankingScore: 0.9 } },
      { id: 2, _federation: { indexUid: "movies", queriesPosition: 0, weightedRankingScore: 0.3 } },
      {
        isbn: 4,
        _rankingScore: 0.1,
        _federation: { indexUid: "books", queriesPosition: 1, weightedRankingScore: 0.2 },
      },
    ]);
    expect(merged).toMatchObject({
      processingTimeMs: 3,
      limit: 20,
      offset: 0,
      estimatedTotalHits: 4,
    });
  });

  it("compares sort values rule by rule when the queries sort", () => {
    const sorted = (price: number, score: number) => ({
      "price:asc": { order: 0, value: price },
      words: { order: 1, score },
    });
    const merged = mergeFederated(request({ limit: 2 }), settingsOf, [
      { node: "n1", body: body([fedHit(1, 0, 1, 1, sorted(20, 1))]) },
      { node: "n2", body: body([fedHit(2, 1, 0.1, 2, sorted(10, 0.1))]) },
    ]);
    expect(merged.hits.map((hit) => hit.id ?? hit.isbn)).toEqual([2, 1]);
  });

  it("pages the federation and recomputes totals in page mode", () => {
    const merged = mergeFederated(request({ page: 2, hitsPerPage: 1 }), settingsOf, [
      { node: "n1", body: body([fedHit(1, 0, 0.9, 1)], { totalHits: 5 }) },
      { node: "n2", body: body([fedHit(3, 1, 0.1, 2)], { totalHits: 2 }) },
    ]);
    expect(merged.hits.map((hit) => hit.id ?? hit.isbn)).toEqual([3]);
    expect(merged).toMatchObject({ hitsPerPage: 1, page: 2, totalPages: 7, totalHits: 7 });
  });

  it("merges facets by index, or into one distribution with mergeFacets", () => {
    const facets = (movies: Record<string, number>, min: number) => ({
      facetsByIndex: {
        movies: { distribution: { genre: movies }, stats: { year: { min, max: min + 1 } } },
      },
    });
    const answers = [
      { node: "n1", body: body([], facets({ drama: 1 }, 1990)) },
      { node: "n2", body: body([], facets({ drama: 2, action: 1 }, 1980)) },
    ];
    expect(mergeFederated(request(), settingsOf, answers).facetsByIndex).toEqual({
      movies: {
        distribution: { genre: { action: 1, drama: 3 } },
        stats: { year: { min: 1980, max: 1991 } },
      },
    });
    // Nodes answer by index; the merge sums the indexes as Meilisearch's mergeFacets does.
    const merged = mergeFederated(
      request({ mergeFacets: { maxValuesPerFacet: 1 } }),
      settingsOf,
      answers,
    );
    expect(merged.facetDistribution).toEqual({ genre: { action: 1 } });
    expect(merged.facetStats).toEqual({ year: { min: 1980, max: 1991 } });
    expect(merged).not.toHaveProperty("facetsByIndex");
  });

  it("deduplicates on each query's distinct attribute", () => {
    const withSku = (hit: object, sku: string) => ({ ...hit, sku });
    const distinctRequest = request();
    const merged = mergeFederated(
      {
        ...distinctRequest,
        queries: [
          { ...distinctRequest.queries[0], indexUid: "movies", distinct: "sku" },
          distinctRequest.queries[1] ?? { indexUid: "books" },
        ],
      },
      settingsOf,
      [
        { node: "n1", body: body([withSku(fedHit(1, 0, 0.9, 1), "a")]) },
        {
          node: "n2",
          body: body([withSku(fedHit(2, 0, 0.8, 1), "a"), withSku(fedHit(3, 1, 0.1, 2), "a")]),
        },
      ],
    );
    expect(merged.hits.map((hit) => hit.id ?? hit.isbn)).toEqual([1, 3]);
  });

  it("reports a node whose hits lack valid _federation metadata", () => {
    const broken = { ...fedHit(1, 0, 0.5, 1), _federation: { queriesPosition: 7 } };
    expect(() =>
      mergeFederated(request(), settingsOf, [{ node: "n4", body: body([broken]) }]),
    ).toThrow(NodeAnswerError);
    expect(() =>
      mergeFederated(request(), settingsOf, [{ node: "n4", body: { hits: [] } }]),
    ).toThrow(NodeAnswerError);
    expect(() =>
      mergeFederated(request(), settingsOf, [
        { node: "n4", body: body([], { facetsByIndex: [] }) },
      ]),
    ).toThrow(NodeAnswerError);
  });
});
