import { beforeAll, describe, expect, it } from "vitest";
import { expectError, useNode } from "./node-under-test.js";
import { loadTestSet, type TestSetDocument, testSetPresent } from "./test-set.js";

const node = useNode();
const docs: TestSetDocument[] = testSetPresent ? loadTestSet() : [];

describe.skipIf(!testSetPresent)("search over Meilisearch's test set (shared/meili-data)", () => {
  beforeAll(async () => {
    const { settle } = node();
    const added = await settle("POST", "/indexes/people/documents", docs);
    expect(added.status).toBe("succeeded");
    await settle("PATCH", "/indexes/people/settings", {
      filterableAttributes: ["age", "color", "tags", "isActive"],
      sortableAttributes: ["age", "name"],
    });
  });

  it("answers a placeholder search in Meilisearch's shape", async () => {
    const answer = await node().request("POST", "/indexes/people/search", { q: "" });
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.body)).toEqual([
      "hits",
      "query",
      "processingTimeMs",
      "limit",
      "offset",
      "estimatedTotalHits",
      "requestUid",
    ]);
    expect(answer.body).toMatchObject({
      query: "",
      limit: 20,
      offset: 0,
      estimatedTotalHits: docs.length,
    });
    expect(answer.body.hits).toHaveLength(20);
    expect(answer.body.hits.map((hit: { id: number }) => hit.id)).toEqual(
      docs.slice(0, 20).map((d) => d.id),
    );
  });

  it("filters with the string and array forms exactly like a scan of the documents", async () => {
    const { request } = node();
    const expected = docs
      .filter((d) => d.age > 30 && (d.color.toLowerCase() === "green" || d.tags.includes("bug")))
      .map((d) => d.id);
    const string = await request("POST", "/indexes/people/search", {
      filter: "age > 30 AND (color = green OR tags = bug)",
      limit: 100,
    });
    expect(string.body.hits.map((hit: { id: number }) => hit.id)).toEqual(expected);
    const array = await request("POST", "/indexes/people/search", {
      filter: ["age > 30", ["color = green", "tags = bug"]],
      limit: 100,
    });
    expect(array.body.hits.map((hit: { id: number }) => hit.id)).toEqual(expected);
  });

  it("sorts on sortable attributes and refuses others", async () => {
    const { request } = node();
    const sorted = await request("POST", "/indexes/people/search", {
      sort: ["age:desc"],
      limit: 100,
    });
    const ages = sorted.body.hits.map((hit: { age: number }) => hit.age);
    expect(ages).toEqual([...ages].sort((a, b) => b - a));
    expectError(
      await request("POST", "/indexes/people/search", { sort: ["balance:asc"] }),
      400,
      "invalid_search_sort",
    );
  });

  it("answers facet distribution and stats with exact counts", async () => {
    const answer = await node().request("POST", "/indexes/people/search", {
      facets: ["color", "age"],
      limit: 0,
    });
    const colors: Record<string, number> = {};
    for (const d of docs) colors[d.color] = (colors[d.color] ?? 0) + 1;
    expect(answer.body.facetDistribution.color).toEqual(colors);
    const ages = docs.map((d) => d.age);
    expect(answer.body.facetStats).toEqual({
      age: { min: Math.min(...ages), max: Math.max(...ages) },
    });
  });

  it("pages with page and hitsPerPage, capped by maxTotalHits", async () => {
    const answer = await node().request("POST", "/indexes/people/search", {
      page: 2,
      hitsPerPage: 10,
    });
    expect(answer.body).toMatchObject({
      page: 2,
      hitsPerPage: 10,
      totalHits: docs.length,
      totalPages: Math.ceil(docs.length / 10),
    });
    expect(answer.body.hits.map((hit: { id: number }) => hit.id)).toEqual(
      docs.slice(10, 20).map((d) => d.id),
    );
    expect(answer.body).not.toHaveProperty("estimatedTotalHits");
  });

  it("answers GET search with query parameters like POST", async () => {
    const { request } = node();
    const get = await request(
      "GET",
      "/indexes/people/search?filter=isActive%20%3D%20true&limit=5&attributesToRetrieve=id",
    );
    const post = await request("POST", "/indexes/people/search", {
      filter: "isActive = true",
      limit: 5,
      attributesToRetrieve: ["id"],
    });
    expect(get.status).toBe(200);
    expect(get.body.hits).toEqual(post.body.hits);
    expect(Object.keys(get.body.hits[0])).toEqual(["id"]);
  });

  it("shows ranking scores between 0 and 1 and details when asked", async () => {
    const answer = await node().request("POST", "/indexes/people/search", {
      q: "bug",
      showRankingScore: true,
      showRankingScoreDetails: true,
    });
    expect(answer.body.hits.length).toBeGreaterThan(0);
    for (const hit of answer.body.hits) {
      expect(hit._rankingScore).toBeGreaterThan(0);
      expect(hit._rankingScore).toBeLessThanOrEqual(1);
      expect(hit._rankingScoreDetails.words).toMatchObject({ order: 0 });
    }
  });

  it("rejects bad queries with Meilisearch's codes", async () => {
    const { request } = node();
    expectError(
      await request("POST", "/indexes/people/search", { limit: -1 }),
      400,
      "invalid_search_limit",
    );
    expectError(await request("POST", "/indexes/people/search", { q: 3 }), 400, "invalid_search_q");
    expectError(
      await request("POST", "/indexes/people/search", { filter: "gender = male" }),
      400,
      "invalid_search_filter",
    );
    expectError(
      await request("POST", "/indexes/people/search", { filter: "age >" }),
      400,
      "invalid_search_filter",
    );
    expectError(await request("POST", "/indexes/people/search", { wat: true }), 400, "bad_request");
    expectError(await request("POST", "/indexes/nobody/search", {}), 404, "index_not_found");
  });

  it("answers a facet search", async () => {
    const answer = await node().request("POST", "/indexes/people/facet-search", {
      facetName: "color",
      facetQuery: "bl",
    });
    expect(answer.status).toBe(200);
    const blue = docs.filter((d) => d.color === "blue").length;
    expect(answer.body).toMatchObject({
      facetHits: [{ value: "blue", count: blue }],
      facetQuery: "bl",
    });
    expect(answer.body.processingTimeMs).toEqual(expect.any(Number));
  });
});

describe.skipIf(!testSetPresent)("search and facet-search errors", () => {
  it("rejects bad GET parameters with the same codes as the POST body", async () => {
    const { request } = node();
    expectError(
      await request("GET", "/indexes/people/search?limit=many"),
      400,
      "invalid_search_limit",
    );
    expectError(
      await request("GET", "/indexes/people/search?offset=-2"),
      400,
      "invalid_search_offset",
    );
    expectError(
      await request("GET", "/indexes/people/search?sort=balance:asc"),
      400,
      "invalid_search_sort",
    );
  });

  it("rejects a facet search without a facet name or on an attribute that is not filterable", async () => {
    const { request } = node();
    expectError(
      await request("POST", "/indexes/people/facet-search", { facetQuery: "b" }),
      400,
      "missing_facet_search_facet_name",
    );
    expectError(
      await request("POST", "/indexes/people/facet-search", { facetName: "name" }),
      400,
      "invalid_facet_search_facet_name",
    );
    expectError(
      await request("POST", "/indexes/nobody/facet-search", { facetName: "x" }),
      404,
      "index_not_found",
    );
  });
});

describe.skipIf(!testSetPresent)("multi-search", () => {
  it("answers each query on its own with its indexUid", async () => {
    const answer = await node().request("POST", "/multi-search", {
      queries: [
        { indexUid: "people", q: "", limit: 1 },
        { indexUid: "people", filter: "age < 21", limit: 100 },
      ],
    });
    expect(answer.status).toBe(200);
    expect(answer.body.results).toHaveLength(2);
    expect(answer.body.results[0]).toMatchObject({ indexUid: "people", limit: 1 });
    expect(answer.body.results[1].hits.map((hit: { id: number }) => hit.id)).toEqual(
      docs.filter((d) => d.age < 21).map((d) => d.id),
    );
  });

  it("locates an error in its query and answers index_not_found with 400", async () => {
    const answer = await node().request("POST", "/multi-search", {
      queries: [{ indexUid: "people" }, { indexUid: "absent" }],
    });
    expectError(answer, 400, "index_not_found");
    expect(answer.body.message).toMatch(/^Inside `\.queries\[1\]`: /);
    expectError(
      await node().request("POST", "/multi-search", {
        queries: [{ indexUid: "people", federationOptions: { weight: 2 } }],
      }),
      400,
      "invalid_multi_search_federation_options",
    );
  });

  it("merges a federated search into one list with _federation metadata", async () => {
    const answer = await node().request("POST", "/multi-search", {
      federation: { limit: 5 },
      queries: [
        { indexUid: "people", filter: "age < 25" },
        { indexUid: "people", filter: "age > 35" },
      ],
    });
    expect(answer.status).toBe(200);
    expect(answer.body.hits).toHaveLength(5);
    expect(answer.body.hits[0]._federation).toMatchObject({ indexUid: "people" });
  });
});
