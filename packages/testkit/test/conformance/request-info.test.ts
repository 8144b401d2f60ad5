import { beforeAll, describe, expect, it } from "vitest";
import { expectError, type Json, useNode } from "./node-under-test.js";

const node = useNode();

/** Meilisearch 1.50 names each search request with a UUID v7 (time first). */
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const DURATION = /^\d+(\.\d+)?(ns|µs|ms|s)$/;

function expectTimings(details: Json): void {
  expect(typeof details).toBe("object");
  expect(details.search).toMatch(DURATION);
  for (const value of Object.values(details)) expect(value).toMatch(DURATION);
}

describe("requestUid and performanceDetails", () => {
  beforeAll(async () => {
    const { settle } = node();
    await settle("PATCH", "/indexes/info/settings", {
      filterableAttributes: ["genre"],
      embedders: { plot: { source: "userProvided", dimensions: 2 } },
    });
    const added = await settle("POST", "/indexes/info/documents", [
      { id: 1, title: "hello world", genre: "a", _vectors: { plot: [1, 0] } },
      { id: 2, title: "world", genre: "b", _vectors: { plot: [0, 1] } },
    ]);
    expect(added.status).toBe("succeeded");
  });

  it("gives every search a new requestUid, after the totals and the facets", async () => {
    const { request } = node();
    const post = await request("POST", "/indexes/info/search", { q: "world" });
    expect(Object.keys(post.body)).toEqual([
      "hits",
      "query",
      "processingTimeMs",
      "limit",
      "offset",
      "estimatedTotalHits",
      "requestUid",
    ]);
    expect(post.body.requestUid).toMatch(UUID_V7);
    const get = await request("GET", "/indexes/info/search?q=world");
    expect(get.body.requestUid).toMatch(UUID_V7);
    expect(get.body.requestUid).not.toBe(post.body.requestUid);
    const faceted = await request("POST", "/indexes/info/search", { facets: ["genre"], page: 1 });
    expect(Object.keys(faceted.body).slice(-5)).toEqual([
      "totalPages",
      "totalHits",
      "facetDistribution",
      "facetStats",
      "requestUid",
    ]);
  });

  it("times the search with showPerformanceDetails, and refuses a value that is not a boolean", async () => {
    const { request } = node();
    const post = await request("POST", "/indexes/info/search", {
      q: "world",
      showPerformanceDetails: true,
    });
    expect(Object.keys(post.body).slice(-2)).toEqual(["requestUid", "performanceDetails"]);
    expectTimings(post.body.performanceDetails);
    const get = await request("GET", "/indexes/info/search?showPerformanceDetails=true");
    expectTimings(get.body.performanceDetails);
    const off = await request("POST", "/indexes/info/search", { showPerformanceDetails: false });
    expect(off.body).not.toHaveProperty("performanceDetails");
    expectError(
      await request("POST", "/indexes/info/search", { showPerformanceDetails: "yes" }),
      400,
      "invalid_search_show_performance_details",
    );
    expectError(
      await request("GET", "/indexes/info/search?showPerformanceDetails=x"),
      400,
      "invalid_search_show_performance_details",
    );
  });

  it("puts semanticHitCount after requestUid in a hybrid search", async () => {
    const answer = await node().request("POST", "/indexes/info/search", {
      q: "world",
      vector: [1, 0],
      hybrid: { embedder: "plot", semanticRatio: 0.5 },
      showPerformanceDetails: true,
    });
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.body).slice(-3)).toEqual([
      "requestUid",
      "performanceDetails",
      "semanticHitCount",
    ]);
  });

  it("shares one requestUid among the results of a multi-search", async () => {
    const answer = await node().request("POST", "/multi-search", {
      queries: [
        { indexUid: "info", q: "world", showPerformanceDetails: true },
        { indexUid: "info", q: "hello" },
      ],
    });
    const [first, second] = answer.body.results;
    expect(first.requestUid).toMatch(UUID_V7);
    expect(second.requestUid).toBe(first.requestUid);
    expectTimings(first.performanceDetails);
    expect(second).not.toHaveProperty("performanceDetails");
  });

  it("gives a federated search one requestUid, and its timings only through federation", async () => {
    const { request } = node();
    const answer = await request("POST", "/multi-search", {
      federation: { showPerformanceDetails: true },
      queries: [{ indexUid: "info", q: "world" }],
    });
    expect(Object.keys(answer.body)).toEqual([
      "hits",
      "processingTimeMs",
      "limit",
      "offset",
      "estimatedTotalHits",
      "requestUid",
      "performanceDetails",
    ]);
    expect(answer.body.requestUid).toMatch(UUID_V7);
    expectTimings(answer.body.performanceDetails);
    const inQuery = await request("POST", "/multi-search", {
      federation: {},
      queries: [{ indexUid: "info", showPerformanceDetails: true }],
    });
    expectError(inQuery, 400, "invalid_multi_search_query_show_performance_details");
    expect(inQuery.body.message).toMatch(/^Inside `\.queries\[0\]`: /);
    expectError(
      await request("POST", "/multi-search", {
        federation: { showPerformanceDetails: "x" },
        queries: [],
      }),
      400,
      "invalid_search_show_performance_details",
    );
  });

  it("answers facet search and /similar without a requestUid; /similar can time itself", async () => {
    const { request } = node();
    const facets = await request("POST", "/indexes/info/facet-search", {
      facetName: "genre",
      showPerformanceDetails: true,
    });
    expect(Object.keys(facets.body)).toEqual(["facetHits", "facetQuery", "processingTimeMs"]);
    const similar = await request("POST", "/indexes/info/similar", {
      id: 1,
      embedder: "plot",
      showPerformanceDetails: true,
    });
    expect(Object.keys(similar.body)).toEqual([
      "hits",
      "id",
      "processingTimeMs",
      "limit",
      "offset",
      "estimatedTotalHits",
      "performanceDetails",
    ]);
    expectTimings(similar.body.performanceDetails);
    const plain = await request("GET", "/indexes/info/similar?id=1&embedder=plot");
    expect(plain.body).not.toHaveProperty("requestUid");
  });
});
