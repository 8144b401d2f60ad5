import { beforeAll, describe, expect, it } from "vitest";
import { useNode } from "./node-under-test.js";

const node = useNode();

/**
 * Sorted by `rank`, the ranking buckets are the documents of one rank: 1 and 2, then 3 and
 * 4, then 5, 6 and 7, then 8. Document 7 has no color.
 */
const DOCUMENTS = [
  { id: 1, rank: 1, color: "red" },
  { id: 2, rank: 1, color: "blue" },
  { id: 3, rank: 2, color: "red" },
  { id: 4, rank: 2, color: "green" },
  { id: 5, rank: 3, color: "green" },
  { id: 6, rank: 3, color: "yellow" },
  { id: 7, rank: 3 },
  { id: 8, rank: 4, color: "blue" },
];

const search = (window: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  node().request("POST", "/indexes/colors/search", {
    sort: ["rank:asc"],
    distinct: "color",
    ...window,
    ...extra,
  });

describe("distinct totals", () => {
  beforeAll(async () => {
    const { settle } = node();
    await settle("POST", "/indexes/colors/documents", DOCUMENTS);
    await settle("PATCH", "/indexes/colors/settings", {
      filterableAttributes: ["color"],
      sortableAttributes: ["rank"],
    });
  });

  it("estimates what the ranking walk leaves: the documents of the values it saw go, one kept", async () => {
    // limit 1: the first bucket is finished (red and blue seen): 3 and 8 go.
    expect((await search({ limit: 1 })).body.estimatedTotalHits).toBe(6);
    // limit 3: green is seen in the second bucket: 3, 5 and 8 go.
    expect((await search({ limit: 3 })).body.estimatedTotalHits).toBe(5);
    expect((await search({ offset: 2, limit: 1 })).body.estimatedTotalHits).toBe(5);
    // The walk reaches every value: one document each, plus the one without a color.
    expect((await search({ limit: 20 })).body.estimatedTotalHits).toBe(5);
  });

  it("does not walk for an empty window, and walks everything for one past every candidate", async () => {
    expect((await search({ limit: 0 })).body.estimatedTotalHits).toBe(8);
    expect((await search({ offset: 9, limit: 1 })).body.estimatedTotalHits).toBe(5);
    expect((await search({ offset: 1, limit: 0 })).body.estimatedTotalHits).toBe(6);
  });

  it("counts exhaustively in page mode: one document per value, and those without one", async () => {
    const answer = await search({ page: 1, hitsPerPage: 1 });
    expect(answer.body).toMatchObject({ totalHits: 5, totalPages: 5 });
  });

  it("counts facets over what the walk left", async () => {
    const answer = await search({ limit: 1 }, { facets: ["color"] });
    expect(answer.body.facetDistribution).toEqual({
      color: { blue: 1, green: 2, red: 1, yellow: 1 },
    });
    expect(answer.body.hits.map((hit: { id: number }) => hit.id)).toEqual([1]);
  });
});
