import { MeiliError } from "@miroir/errors";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Document } from "./document.js";
import type { EngineIndex } from "./engine-index.js";
import { search } from "./search.js";
import { searchQueryFromParams } from "./search-query.js";
import { similarity } from "./semantic-ranking.js";
import { defaultSettings, type Settings } from "./settings.js";
import { parseSimilarQuery, similarDocuments, similarQueryFromParams } from "./similar.js";
import { checkDocumentVectors } from "./vector-checks.js";

function index(docs: Document[], change: Partial<Settings> = {}): EngineIndex {
  const settings = {
    ...defaultSettings(),
    embedders: { plot: { source: "userProvided", dimensions: 2 } },
    filterableAttributes: ["genre"],
    sortableAttributes: ["year"],
    ...change,
  };
  return {
    uid: "films",
    primaryKey: "id",
    settings,
    documents: new Map(docs.map((doc) => [String(doc.id), doc])),
  };
}

const films: Document[] = [
  { id: 1, title: "moon river", year: 2001, _vectors: { plot: [1, 0] } },
  {
    id: 2,
    title: "glass moon",
    year: 1999,
    _vectors: {
      plot: [
        [0, 1],
        [1, 0.1],
      ],
    },
  },
  {
    id: 3,
    title: "stone",
    year: 2005,
    _vectors: { plot: { embeddings: [0, -1], regenerate: false } },
  },
  { id: 4, title: "ember", year: 2001, _vectors: { plot: [1, 0] } },
];

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof MeiliError) return error.code;
    throw error;
  }
  throw new Error("expected a MeiliError");
}

const ids = (answer: { hits: Document[] }) => answer.hits.map((hit) => hit.id);

describe("similarity", () => {
  it("maps cosine from [-1, 1] onto [0, 1], whatever the vectors' lengths", () => {
    // Components below 1e-6 would let their squares underflow, which no embedding meets.
    const component = fc
      .double({ min: -10, max: 10, noNaN: true })
      .filter((x) => x === 0 || Math.abs(x) >= 1e-6);
    const vector = fc.array(component, { minLength: 3, maxLength: 3 });
    fc.assert(
      fc.property(vector, vector, fc.double({ min: 0.1, max: 5, noNaN: true }), (a, b, k) => {
        // a 32-bit float, as Meilisearch computes it: equal up to its precision
        const value = similarity(a, b);
        expect(Math.fround(value)).toBe(value);
        expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThanOrEqual(1);
        expect(
          similarity(
            a.map((x) => x * k),
            b,
          ),
        ).toBeCloseTo(value, 6);
        expect(similarity(b, a)).toBeCloseTo(value, 6);
      }),
    );
    expect(similarity([1, 0], [0, 0])).toBe(0.5);
  });
});

describe("vector search", () => {
  it("ranks a document by its closest embedding, equal similarities by the sort rule", () => {
    const answer = search(index(films), {
      vector: [1, 0],
      hybrid: { embedder: "plot", semanticRatio: 1 },
      sort: ["year:desc"],
      showRankingScoreDetails: true,
    });
    expect(ids(answer)).toEqual([1, 4, 2, 3]);
    expect(answer.hits[0]?._rankingScoreDetails).toEqual({
      vectorSort: { order: 0, similarity: 1 },
      "year:desc": { order: 1, value: 2001 },
    });
    expect(answer.semanticHitCount).toBe(4);
  });

  it("puts a sort rule ranked before the relevance rules before the vector", () => {
    const films2 = index(films, { rankingRules: ["year:asc", "words", "sort"] });
    const answer = search(films2, {
      vector: [1, 0],
      hybrid: { embedder: "plot", semanticRatio: 1 },
      showRankingScoreDetails: true,
      page: 1,
      hitsPerPage: 2,
    });
    expect(ids(answer)).toEqual([2, 1]);
    expect(answer.hits[0]?._rankingScoreDetails).toMatchObject({
      "year:asc": { order: 0 },
      vectorSort: { order: 1 },
    });
    expect(answer).toMatchObject({ totalHits: 4, totalPages: 2 });
  });

  it("merges keyword and semantic hits by weighted score, each document once", () => {
    const answer = search(index(films), {
      q: "moon",
      vector: [0, -1],
      hybrid: { embedder: "plot", semanticRatio: 0.5 },
      showRankingScore: true,
      facets: ["genre"],
      rankingScoreThreshold: 0.1,
    });
    expect(new Set(ids(answer))).toEqual(new Set([1, 2, 3, 4]));
    expect(ids(answer)).toHaveLength(4);
    expect(answer.semanticHitCount).toBeGreaterThan(0);
    expect(answer.semanticHitCount).toBeLessThan(4);
    expect(answer.facetDistribution).toEqual({ genre: {} });
  });

  it("answers a hybrid search without a vector and without words as a keyword search", () => {
    const answer = search(index(films), { hybrid: { embedder: "plot", semanticRatio: 0.7 } });
    expect(ids(answer)).toEqual([1, 2, 3, 4]);
    expect(answer).not.toHaveProperty("semanticHitCount");
  });

  it("reads vector search parameters from a GET query string", () => {
    const query = searchQueryFromParams(
      new URLSearchParams("vector=1,0&hybridEmbedder=plot&hybridSemanticRatio=1"),
    );
    expect(query).toEqual({ vector: [1, 0], hybrid: { embedder: "plot", semanticRatio: 1 } });
    expect(codeOf(() => searchQueryFromParams(new URLSearchParams("hybridSemanticRatio=x")))).toBe(
      "invalid_search_semantic_ratio",
    );
    expect(codeOf(() => searchQueryFromParams(new URLSearchParams("vector=a")))).toBe(
      "invalid_search_vector",
    );
  });

  it("refuses vector search on an index without embedders", () => {
    const plain = index(films, { embedders: {} });
    expect(codeOf(() => search(plain, { hybrid: { embedder: "x", semanticRatio: 1 } }))).toBe(
      "invalid_search_hybrid_query",
    );
    expect(
      codeOf(() => search(plain, { vector: [1], hybrid: { embedder: "x", semanticRatio: 1 } })),
    ).toBe("invalid_search_vector");
  });
});

describe("similar documents", () => {
  it("leaves the target out and shows vectors only when asked", () => {
    const answer = similarDocuments(index(films), parseSimilarQuery({ id: 1, embedder: "plot" }));
    expect(ids(answer)).toEqual([4, 2, 3]);
    expect(answer.hits[0]).toEqual({ id: 4, title: "ember", year: 2001 });
  });

  it("reads GET parameters, and refuses unknown or malformed ones", () => {
    const query = similarQueryFromParams(
      new URLSearchParams(
        "id=2&embedder=plot&attributesToRetrieve=id,title&showRankingScore=true&rankingScoreThreshold=0.5&retrieveVectors=false",
      ),
    );
    expect(query).toEqual({
      id: "2",
      embedder: "plot",
      attributesToRetrieve: ["id", "title"],
      showRankingScore: true,
      rankingScoreThreshold: 0.5,
      retrieveVectors: false,
    });
    for (const [params, code] of [
      ["id=1&embedder=plot&q=x", "bad_request"],
      ["id=1&embedder=plot&showRankingScore=yes", "invalid_similar_show_ranking_score"],
      ["id=1&embedder=plot&rankingScoreThreshold=", "invalid_similar_ranking_score_threshold"],
    ] as const) {
      expect(codeOf(() => similarQueryFromParams(new URLSearchParams(params)))).toBe(code);
    }
    for (const [body, code] of [
      [{ id: 1, embedder: 3 }, "invalid_similar_embedder"],
      [{ embedder: "plot" }, "bad_request"],
      [{ id: 1, embedder: "plot", filter: 3 }, "invalid_similar_filter"],
      [
        { id: 1, embedder: "plot", rankingScoreThreshold: "1" },
        "invalid_similar_ranking_score_threshold",
      ],
      [
        { id: 1, embedder: "plot", rankingScoreThreshold: 2 },
        "invalid_similar_ranking_score_threshold",
      ],
      [{ id: 1, embedder: "plot", filter: "genre = = x" }, "invalid_similar_filter"],
    ] as const) {
      expect(codeOf(() => similarDocuments(index(films), parseSimilarQuery(body)))).toBe(code);
    }
  });
});

describe("document vectors", () => {
  it("refuses malformed embeddings of any entry, and wrong dimensions of a configured embedder", () => {
    const settings = index([]).settings;
    const check = (vectors: unknown) => () =>
      checkDocumentVectors({ id: 1, _vectors: vectors }, "1", settings, "films");
    expect(codeOf(check({ plot: { embeddings: [1, 2], other: 1 } }))).toBe("invalid_vectors_type");
    expect(codeOf(check({ plot: { embeddings: [1, 2], regenerate: 1 } }))).toBe(
      "invalid_vectors_type",
    );
    expect(codeOf(check({ plot: [[1, 2], "x"] }))).toBe("invalid_vectors_type");
    expect(codeOf(check({ plot: [[1, 2, 3]] }))).toBe("invalid_vector_dimensions");
    expect(check({ plot: null, unknown: [1, 2, 3] })).not.toThrow();
    expect(check({ plot: { embeddings: null, regenerate: false } })).not.toThrow();
    expect(codeOf(check({ unknown: "anything" }))).toBe("invalid_vectors_type");
    expect(codeOf(check({ plot: { embeddings: [1, 2] } }))).toBe("invalid_vectors_type");
    expect(codeOf(check([1]))).toBe("internal");
  });
});
