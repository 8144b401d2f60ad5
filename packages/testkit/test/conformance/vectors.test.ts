import { beforeAll, describe, expect, it } from "vitest";
import { expectError, type Json, useNode } from "./node-under-test.js";

const node = useNode();

const movies = [
  { id: 1, title: "Alpha", genre: "drama", _vectors: { plot: [1, 0, 0] } },
  { id: 2, title: "Beta", genre: "comedy", _vectors: { plot: [0.9, 0.1, 0] } },
  {
    id: 3,
    title: "Gamma",
    genre: "drama",
    _vectors: { plot: { embeddings: [[0, 1, 0]], regenerate: false } },
  },
  { id: 4, title: "Delta", genre: "drama", _vectors: { plot: [-1, 0, 0] } },
  // a userProvided embedder needs a vector from every document, or an explicit opt-out
  { id: 5, title: "Epsilon", genre: "comedy", _vectors: { plot: null } },
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
    // Epsilon has no vector: it counts among the candidates but is not returned
    expect(ids(answer)).toEqual([2, 3, 4]);
    expect(answer.body).toMatchObject({ id: "1", limit: 20, offset: 0, estimatedTotalHits: 4 });
    const [beta, gamma, delta] = answer.body.hits;
    expect(gamma._rankingScore).toBe(0.5);
    expect(delta._rankingScore).toBe(0);
    // computed over 32-bit floats, as Meilisearch stores vectors
    const f = Math.fround;
    const cosine = f(f(0.9) / Math.hypot(f(0.9), f(0.1)));
    expect(beta._rankingScore).toBe(f((1 + cosine) / 2));
    expect(gamma._rankingScoreDetails).toEqual({ vectorSort: { order: 0, similarity: 0.5 } });
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

  it("answers a target without a vector with no hits, its total still counting every candidate", async () => {
    const { request } = node();
    const all = await request("POST", "/indexes/movies/similar", { id: 5, embedder: "plot" });
    expect(all.body).toMatchObject({ hits: [], id: "5", estimatedTotalHits: 4 });
    const drama = await request("POST", "/indexes/movies/similar", {
      id: 5,
      embedder: "plot",
      filter: "genre = drama",
    });
    expect(drama.body).toMatchObject({ hits: [], estimatedTotalHits: 3 });
  });

  it("shows vectors with retrieveVectors, in documents reads and /similar", async () => {
    const { request } = node();
    const similar = await request("POST", "/indexes/movies/similar", {
      id: 1,
      embedder: "plot",
      retrieveVectors: true,
      limit: 1,
    });
    // stored as 32-bit floats
    expect(similar.body.hits[0]._vectors).toEqual({
      plot: { embeddings: [[Math.fround(0.9), Math.fround(0.1), 0]], regenerate: false },
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
    expect(answer.body).not.toHaveProperty("semanticHitCount");
  });

  it("falls back to the keyword ranking when words cannot be embedded and the ratio allows it", async () => {
    const { request } = node();
    const mixed = await request("POST", "/indexes/movies/search", {
      q: "alpha",
      hybrid: { embedder: "plot", semanticRatio: 0.5 },
    });
    expect(ids(mixed)).toEqual([1]);
    expect(mixed.body.semanticHitCount).toBe(0);
    const placeholder = await request("POST", "/indexes/movies/search", {
      hybrid: { embedder: "plot", semanticRatio: 1 },
    });
    expect(ids(placeholder)).toEqual([1, 2, 3, 4, 5]);
    expect(placeholder.body).not.toHaveProperty("semanticHitCount");
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
    const unembeddable = await request("POST", "/indexes/movies/search", {
      q: "alpha",
      hybrid: { embedder: "plot", semanticRatio: 1 },
    });
    expectError(unembeddable, 400, "vector_embedding_error");
    expect(unembeddable.body.message).toBe(
      "Error while generating embeddings: user error: attempt to embed the following text in a configuration where embeddings must be user provided:\n  - `alpha`",
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
    const unavailable = await request("PATCH", "/indexes/movies/settings", {
      embedders: { e: { source: "userProvided", dimensions: 3, apiKey: "k" } },
    });
    expect(unavailable.body.message).toBe(
      "`.embedders.e`: Field `apiKey` unavailable for source `userProvided`.\n  - note: `apiKey` is available for sources: `openAi`, `ollama`, `rest`\n  - note: available fields for source `userProvided`: `source`, `dimensions`, `distribution`, `binaryQuantized`",
    );
    const unknown = await request("PATCH", "/indexes/movies/settings", {
      embedders: { e: { source: "userProvided", dimensions: 3, colour: "red" } },
    });
    expect(unknown.body.message).toMatch(/^Unknown field `colour` inside `\.embedders\.e`: /);
    const wrongSize = await settle("POST", "/indexes/movies/documents", [
      { id: 10, _vectors: { plot: [1, 2] } },
    ]);
    expect(wrongSize.error).toMatchObject({
      code: "invalid_vector_dimensions",
      message:
        "Index `movies`: Invalid vector dimensions in document with id `10` in `._vectors.plot`.\n  - note: embedding #0 has dimensions 2\n  - note: embedder `plot` requires 3",
    });
    const failures: [unknown, string, string][] = [
      [
        "x",
        "invalid_vectors_type",
        "Expected `._vectors.plot` to be an array of floats, an array of arrays of floats, or an object with at least the field `regenerate`, but got the string `x`",
      ],
      [
        [[1, "a", 3]],
        "invalid_vectors_type",
        'Invalid value type at `._vectors.plot[0][1]`: expected a number, but found a string: `"a"`',
      ],
      [
        { embeddings: [[0, 1, 0]] },
        "invalid_vectors_type",
        "Missing field `._vectors.plot.regenerate`\n  - note: `._vectors.plot` must be an array of floats, an array of arrays of floats, or an object with field `regenerate`",
      ],
      [
        { regenerate: "yes" },
        "invalid_vectors_type",
        'Could not parse `._vectors.plot.regenerate`: invalid type: string "yes", expected a boolean at line 1 column 19',
      ],
      [
        { regenerate: false, other: 1 },
        "invalid_vectors_type",
        "Could not parse `._vectors.plot`: trailing characters at line 1 column 28",
      ],
      [
        { regenerate: false, embeddings: "x" },
        "invalid_vectors_type",
        'Invalid value type at `._vectors.plot.embeddings`: expected null or an array, but found a string: `"x"`',
      ],
    ];
    for (const [plot, code, detail] of failures) {
      const failed = await settle("POST", "/indexes/movies/documents", [
        { id: 11, _vectors: { plot } },
      ]);
      expect(failed.error).toMatchObject({
        code,
        message: `Index \`movies\`: Bad embedder configuration in the document with id: \`11\`. ${detail}`,
      });
    }
    // an entry for an embedder that is not configured is checked all the same
    const unconfigured = await settle("POST", "/indexes/movies/documents", [
      { id: 12, _vectors: { other: true, plot: null } },
    ]);
    expect(unconfigured.error.code).toBe("invalid_vectors_type");
    const notObject = await settle("POST", "/indexes/movies/documents", [{ id: 12, _vectors: 3 }]);
    expect(notObject.error).toMatchObject({
      code: "internal",
      message: "Index `movies`: invalid type: integer `3`, expected a map at line 1 column 1",
    });
    const missing = await settle("POST", "/indexes/movies/documents", [
      { id: 13 },
      { id: 14, _vectors: {} },
      { id: 15, _vectors: { plot: null } },
    ]);
    expect(missing.error).toMatchObject({
      code: "vector_embedding_error",
      message:
        "Index `movies`: While embedding documents for embedder `plot`: no vectors provided for document `13` and at least 1 other document(s)\n- Note: `plot` has `source: userProvided`, so documents must provide embeddings as an array in `_vectors.plot`.\n- Hint: opt-out for a document with `_vectors.plot: null`",
    });
    const listing = await request("GET", "/indexes/movies/documents?limit=100");
    expect(listing.body.total).toBe(movies.length);
  });
});

describe("adding a userProvided embedder", () => {
  it("fails the settings task while documents have no vector for it, and succeeds once they do", async () => {
    const { settle } = node();
    await settle("POST", "/indexes/late/documents", [{ id: 1 }, { id: 2 }]);
    const failed = await settle("PATCH", "/indexes/late/settings", {
      embedders: { e: { source: "userProvided", dimensions: 2 } },
    });
    expect(failed.error).toMatchObject({
      code: "vector_embedding_error",
      message: expect.stringMatching(
        /^Index `late`: While embedding documents for embedder `e`: no vectors provided for document `1` and at least 1 other document\(s\)\n/,
      ),
    });
    await settle("POST", "/indexes/late/documents", [
      { id: 1, _vectors: { e: [1, 0] } },
      { id: 2, _vectors: { e: null } },
    ]);
    const passed = await settle("PATCH", "/indexes/late/settings", {
      embedders: { e: { source: "userProvided", dimensions: 2 } },
    });
    expect(passed.status).toBe("succeeded");
  });
});
