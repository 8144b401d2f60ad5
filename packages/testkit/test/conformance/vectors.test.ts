import { beforeAll, describe, expect, it } from "vitest";
import { expectError, type Json, useNode } from "./node-under-test.js";

const node = useNode();

const movies = [
  { id: 1, title: "Alpha", genre: "drama", _vectors: { plot: [1, 0, 0] } },
  { id: 2, title: "Beta", genre: "comedy", _vectors: { plot: [0.9, 0.1, 0] } },
  { id: 3, title: "Gamma", genre: "drama", _vectors: { plot: { embeddings: [[0, 1, 0]] } } },
  { id: 4, title: "Delta", genre: "drama", _vectors: { plot: [-1, 0, 0] } },
  { id: 5, title: "Epsilon", genre: "comedy" },
];

const ids = (answer: { body: Json }) => answer.body.hits.map((hit: { id: number }) => hit.id);

describe("embedders, /similar and vector search", () => {
  beforeAll(async () => {
    const { settle } = node();
    const settings = await settle("PATCH", "/indexes/movies/settings", {
      embedders: { plot: { source: "userProvided", dimensions: 3 } },
      filterableAttributes: ["genre"],
    });
    expect(settings.status).toBe("succeeded");
    expect((await settle("POST", "/indexes/movies/documents", movies)).status).toBe("succeeded");
  });

  it("answers /similar with the target left out, most similar first, in Meilisearch's shape", async () => {
    const answer = await node().request("POST", "/indexes/movies/similar", {
      id: 1,
      embedder: "plot",
      showRankingScore: true,
      showRankingScoreDetails: true,
    });
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.body)).toEqual([
      "hits",
      "id",
      "processingTimeMs",
      "limit",
      "offset",
      "estimatedTotalHits",
    ]);
    expect(ids(answer)).toEqual([2, 3, 4, 5]);
    expect(answer.body).toMatchObject({ id: "1", limit: 20, offset: 0, estimatedTotalHits: 4 });
    const [beta, gamma, delta, epsilon] = answer.body.hits;
    expect(gamma._rankingScore).toBe(0.5);
    expect(delta._rankingScore).toBe(0);
    expect(beta._rankingScore).toBeCloseTo((1 + 0.9 / Math.hypot(0.9, 0.1)) / 2, 12);
    expect(gamma._rankingScoreDetails).toEqual({ vectorSort: { order: 0, similarity: 0.5 } });
    expect(epsilon._rankingScoreDetails).toEqual({ vectorSort: { order: 0 } });
    expect(beta._vectors).toBeUndefined();
  });

  it("filters, pages and cuts by rankingScoreThreshold on GET and POST alike", async () => {
    const { request } = node();
    const post = await request("POST", "/indexes/movies/similar", {
      id: "1",
      embedder: "plot",
      filter: "genre = drama",
      offset: 1,
      limit: 1,
    });
    expect(ids(post)).toEqual([4]);
    expect(post.body.estimatedTotalHits).toBe(2);
    const get = await request(
      "GET",
      "/indexes/movies/similar?id=1&embedder=plot&filter=genre%20%3D%20drama&offset=1&limit=1",
    );
    expect(get.body.hits).toEqual(post.body.hits);
    const above = await request("POST", "/indexes/movies/similar", {
      id: 1,
      embedder: "plot",
      rankingScoreThreshold: 0.5,
    });
    expect(ids(above)).toEqual([2, 3]);
  });

  it("shows vectors with retrieveVectors, in documents reads and /similar", async () => {
    const { request } = node();
    const similar = await request("POST", "/indexes/movies/similar", {
      id: 1,
      embedder: "plot",
      retrieveVectors: true,
      limit: 1,
    });
    expect(similar.body.hits[0]._vectors).toEqual({
      plot: { embeddings: [[0.9, 0.1, 0]], regenerate: false },
    });
    const one = await request("GET", "/indexes/movies/documents/3?retrieveVectors=true");
    expect(one.body._vectors).toEqual({ plot: { embeddings: [[0, 1, 0]], regenerate: false } });
    const hidden = await request("GET", "/indexes/movies/documents/3");
    expect(hidden.body).toEqual({ id: 3, title: "Gamma", genre: "drama" });
  });

  it("refuses bad /similar requests with Meilisearch's codes", async () => {
    const { request } = node();
    expectError(
      await request("POST", "/indexes/movies/similar", { id: 99, embedder: "plot" }),
      400,
      "not_found_similar_id",
    );
    expectError(
      await request("POST", "/indexes/movies/similar", { id: "a b", embedder: "plot" }),
      400,
      "invalid_similar_id",
    );
    expectError(
      await request("POST", "/indexes/movies/similar", { id: 1, embedder: "other" }),
      400,
      "invalid_similar_embedder",
    );
    expectError(
      await request("POST", "/indexes/movies/similar", { id: 1, embedder: "plot", limit: -1 }),
      400,
      "invalid_similar_limit",
    );
    expectError(
      await request("POST", "/indexes/movies/similar", {
        id: 1,
        embedder: "plot",
        filter: "title = Alpha",
      }),
      400,
      "invalid_similar_filter",
    );
    expectError(await request("POST", "/indexes/movies/similar", { id: 1 }), 400, "bad_request");
    expectError(
      await request("GET", "/indexes/movies/similar?id=1&embedder=plot&limit=x"),
      400,
      "invalid_similar_limit",
    );
    expectError(
      await request("POST", "/indexes/nothing/similar", { id: 1, embedder: "plot" }),
      404,
      "index_not_found",
    );
  });

  it("ranks a pure semantic search by similarity, with its details", async () => {
    const answer = await node().request("POST", "/indexes/movies/search", {
      vector: [0, 1, 0],
      hybrid: { embedder: "plot", semanticRatio: 1 },
      showRankingScore: true,
      showRankingScoreDetails: true,
    });
    expect(answer.status).toBe(200);
    expect(ids(answer)).toEqual([3, 2, 1, 4, 5]);
    expect(answer.body.hits[0]._rankingScore).toBe(1);
    expect(answer.body.hits[0]._rankingScoreDetails).toEqual({
      vectorSort: { order: 0, similarity: 1 },
    });
    expect(answer.body.semanticHitCount).toBe(5);
    const get = await node().request(
      "GET",
      "/indexes/movies/search?vector=0,1,0&hybridEmbedder=plot&hybridSemanticRatio=1",
    );
    expect(ids(get)).toEqual([3, 2, 1, 4, 5]);
  });

  it("answers a semantic ratio of 0 with the keyword search", async () => {
    const answer = await node().request("POST", "/indexes/movies/search", {
      q: "gamma",
      vector: [1, 0, 0],
      hybrid: { embedder: "plot", semanticRatio: 0 },
    });
    expect(ids(answer)).toEqual([3]);
    expect(answer.body.semanticHitCount).toBe(0);
  });

  it("refuses vector searches it cannot answer with Meilisearch's codes", async () => {
    const { request } = node();
    expectError(
      await request("POST", "/indexes/movies/search", {
        vector: [1, 0],
        hybrid: { embedder: "plot", semanticRatio: 1 },
      }),
      400,
      "invalid_vector_dimensions",
    );
    expectError(
      await request("POST", "/indexes/movies/search", {
        vector: [1, 0, 0],
        hybrid: { embedder: "nope" },
      }),
      400,
      "invalid_search_embedder",
    );
    expectError(
      await request("POST", "/indexes/movies/search", { vector: [1, 0, 0] }),
      400,
      "missing_search_hybrid",
    );
    expectError(
      await request("POST", "/indexes/movies/search", {
        q: "alpha",
        hybrid: { embedder: "plot", semanticRatio: 0.5 },
      }),
      400,
      "vector_embedding_error",
    );
  });

  it("validates embedder settings and document vectors as Meilisearch does", async () => {
    const { request, settle } = node();
    for (const embedders of [
      { e: { source: "unknown" } },
      { e: { source: "userProvided" } },
      { e: { source: "userProvided", dimensions: 0 } },
      { e: { source: "userProvided", dimensions: 3, model: "x" } },
      { e: [] },
    ]) {
      expectError(
        await request("PATCH", "/indexes/movies/settings", { embedders }),
        400,
        "invalid_settings_embedders",
      );
    }
    const wrongSize = await settle("POST", "/indexes/movies/documents", [
      { id: 10, _vectors: { plot: [1, 2] } },
    ]);
    expect(wrongSize.error.code).toBe("invalid_vector_dimensions");
    const wrongType = await settle("POST", "/indexes/movies/documents", [
      { id: 11, _vectors: { plot: "x" } },
    ]);
    expect(wrongType.error.code).toBe("invalid_vectors_type");
    const notObject = await settle("POST", "/indexes/movies/documents", [{ id: 12, _vectors: 3 }]);
    expect(notObject.error.code).toBe("invalid_vectors_type");
    const listing = await request("GET", "/indexes/movies/documents?limit=100");
    expect(listing.body.total).toBe(movies.length);
  });
});

describe("sorted documents listings", () => {
  const products = [
    { id: "a", price: 3, name: "pear" },
    { id: "b", price: "cheap", name: "Apple" },
    { id: "c", name: "fig" },
    { id: "d", price: 1, name: "banana" },
    { id: "e", price: 3, name: "cherry" },
  ];

  beforeAll(async () => {
    const { settle } = node();
    await settle("POST", "/indexes/products/documents", products);
    await settle("PATCH", "/indexes/products/settings", { sortableAttributes: ["price", "name"] });
  });

  const listed = (answer: { body: Json }) =>
    answer.body.results.map((doc: { id: string }) => doc.id);

  it("sorts numbers before strings, missing values last, ties in insertion order", async () => {
    const { request } = node();
    const asc = await request("GET", "/indexes/products/documents?sort=price:asc");
    expect(listed(asc)).toEqual(["d", "a", "e", "b", "c"]);
    const desc = await request("POST", "/indexes/products/documents/fetch", {
      sort: ["price:desc", "name:asc"],
    });
    expect(listed(desc)).toEqual(["e", "a", "d", "b", "c"]);
    const names = await request("POST", "/indexes/products/documents/fetch", {
      sort: ["name:asc"],
      offset: 1,
      limit: 2,
    });
    expect(listed(names)).toEqual(["d", "e"]);
    expect(names.body).toMatchObject({ offset: 1, limit: 2, total: 5 });
  });

  it("refuses a sort on an attribute that is not sortable, or malformed", async () => {
    const { request } = node();
    expectError(
      await request("GET", "/indexes/products/documents?sort=id:asc"),
      400,
      "invalid_document_sort",
    );
    expectError(
      await request("POST", "/indexes/products/documents/fetch", { sort: ["price"] }),
      400,
      "invalid_document_sort",
    );
    expectError(
      await request("POST", "/indexes/products/documents/fetch", { sort: "price:asc" }),
      400,
      "invalid_document_sort",
    );
  });
});
