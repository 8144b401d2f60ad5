import { MeiliError } from "@miroir/errors";
import { describe, expect, it } from "vitest";
import type { EngineIndex } from "./engine-index.js";
import { federatedSearch } from "./federated-search.js";
import { movieIndex } from "./fixtures/movies.js";

const movies = movieIndex({ filterableAttributes: ["genres", "price"] });
const books: EngineIndex = {
  ...movieIndex({ filterableAttributes: ["genres"] }, [
    { id: 1, title: "A Room of One's Own", overview: "woman writer", genres: ["Essay"] },
    { id: 2, title: "Woman", overview: "poems", genres: ["Drama"] },
  ]),
  uid: "books",
};

function lookup(uid: string): EngineIndex {
  if (uid === "movies") return movies;
  if (uid === "books") return books;
  throw new MeiliError(
    {
      message: `Index \`${uid}\` not found.`,
      code: "index_not_found",
      type: "invalid_request",
      link: "https://docs.meilisearch.com/errors#index_not_found",
    },
    400,
  );
}

function errorOf(action: () => unknown): MeiliError {
  try {
    action();
  } catch (error) {
    if (error instanceof MeiliError) return error;
    throw error;
  }
  throw new Error("expected a MeiliError");
}

describe("federated multi-search", () => {
  it("merges hits of every query by weighted score with _federation on each hit", () => {
    const answer = federatedSearch(lookup, {
      federation: { limit: 3 },
      queries: [
        { indexUid: "movies", q: "woman", attributesToRetrieve: ["id"] },
        { indexUid: "books", q: "woman", attributesToRetrieve: ["id"] },
      ],
    });
    expect(Object.keys(answer)).toEqual([
      "hits",
      "processingTimeMs",
      "limit",
      "offset",
      "estimatedTotalHits",
    ]);
    expect(answer.estimatedTotalHits).toBe(6);
    expect(answer.hits[0]).toEqual({
      id: 4,
      _federation: { indexUid: "movies", queriesPosition: 0, weightedRankingScore: 1 },
    });
    expect(answer.hits[1]).toEqual({
      id: 2,
      _federation: { indexUid: "books", queriesPosition: 1, weightedRankingScore: 1 },
    });
  });

  it("scales scores by federationOptions.weight and pages with page/hitsPerPage", () => {
    const answer = federatedSearch(lookup, {
      federation: { page: 1, hitsPerPage: 2 },
      queries: [
        { indexUid: "movies", q: "woman", federationOptions: { weight: 0.5 } },
        { indexUid: "books", q: "woman" },
      ],
    });
    expect(answer).toMatchObject({ hitsPerPage: 2, page: 1, totalPages: 3, totalHits: 6 });
    expect(answer.hits.map((hit) => (hit._federation as { indexUid: string }).indexUid)).toEqual([
      "books",
      "books",
    ]);
    const first = answer.hits[0] as { _federation: { weightedRankingScore: number } };
    expect(first._federation.weightedRankingScore).toBe(1);
  });

  it("keeps a document found by two queries of one index once", () => {
    const answer = federatedSearch(lookup, {
      federation: {},
      queries: [
        { indexUid: "movies", q: "woman" },
        { indexUid: "movies", q: "wonder" },
      ],
    });
    expect(answer.estimatedTotalHits).toBe(4);
  });

  it("answers facetsByIndex, and merged facets with mergeFacets", () => {
    const federation = { facetsByIndex: { movies: ["genres", "price"], books: ["genres"] } };
    const queries = [
      { indexUid: "movies", q: "woman" },
      { indexUid: "books", q: "woman" },
    ];
    const answer = federatedSearch(lookup, { federation, queries });
    expect(answer.facetsByIndex?.movies?.distribution.genres).toEqual({
      Action: 2,
      Drama: 2,
      History: 1,
      Romance: 1,
    });
    expect(answer.facetsByIndex?.books).toEqual({
      distribution: { genres: { Drama: 1, Essay: 1 } },
      stats: {},
    });
    const merged = federatedSearch(lookup, {
      federation: { ...federation, mergeFacets: {} },
      queries,
    });
    expect(merged.facetDistribution?.genres).toEqual({
      Action: 2,
      Drama: 3,
      History: 1,
      Romance: 1,
      Essay: 1,
    });
    expect(merged.facetStats).toEqual({ price: { min: 10, max: 25 } });
  });

  it("rejects per-query pagination and facets, bad weights and failing queries with their position", () => {
    const pagination = errorOf(() =>
      federatedSearch(lookup, {
        federation: {},
        queries: [{ indexUid: "movies" }, { indexUid: "books", limit: 2 }],
      }),
    );
    expect(pagination.code).toBe("invalid_multi_search_query_pagination");
    expect(pagination.message).toMatch(
      /^Inside `\.queries\[1\]`: Using pagination options is not allowed in federated queries\./,
    );
    const facets = errorOf(() =>
      federatedSearch(lookup, {
        federation: {},
        queries: [{ indexUid: "movies", facets: ["genres"] }],
      }),
    );
    expect(facets.code).toBe("invalid_multi_search_query_facets");
    const weight = errorOf(() =>
      federatedSearch(lookup, {
        federation: {},
        queries: [{ indexUid: "movies", federationOptions: { weight: -1 } }],
      }),
    );
    expect(weight.code).toBe("invalid_multi_search_weight");
    const filter = errorOf(() =>
      federatedSearch(lookup, {
        federation: {},
        queries: [{ indexUid: "books", filter: "price = 1" }],
      }),
    );
    expect(filter.code).toBe("invalid_search_filter");
    expect(filter.message).toMatch(
      /^Inside `\.queries\[0\]`: Index `books`: Attribute `price` is not filterable/,
    );
    const missing = errorOf(() =>
      federatedSearch(lookup, { federation: {}, queries: [{ indexUid: "nope" }] }),
    );
    expect({ code: missing.code, status: missing.status }).toEqual({
      code: "index_not_found",
      status: 400,
    });
    expect(
      errorOf(() => federatedSearch(lookup, { federation: {}, queries: [{ q: "a" }] })).code,
    ).toBe("missing_index_uid");
    expect(
      errorOf(() => federatedSearch(lookup, { federation: { nope: 1 }, queries: [] })).code,
    ).toBe("bad_request");
    const unused = errorOf(() =>
      federatedSearch(lookup, {
        federation: { facetsByIndex: { books: ["genres"] } },
        queries: [{ indexUid: "movies" }],
      }),
    );
    expect(unused.code).toBe("invalid_multi_search_facets_by_index");
    const notFilterable = errorOf(() =>
      federatedSearch(lookup, {
        federation: { facetsByIndex: { books: ["title"] } },
        queries: [{ indexUid: "books" }],
      }),
    );
    expect(notFilterable.code).toBe("invalid_multi_search_facets");
  });
});
