import { describe, expect, it } from "vitest";
import { settings } from "../test/ranked-documents.js";
import { planShardQuery } from "./plan-shard-query.js";

describe("planShardQuery", () => {
  it("asks each node for everything up to the client's last hit, from offset 0", () => {
    const { query } = planShardQuery({ q: "a", offset: 40, limit: 10 }, settings(), [1]);
    expect(query).toMatchObject({ q: "a", offset: 0, limit: 50 });
  });

  it("asks page 1 of page × hitsPerPage hits in page mode", () => {
    const { query } = planShardQuery({ page: 3, hitsPerPage: 7 }, settings(), [1]);
    expect(query).toMatchObject({ page: 1, hitsPerPage: 21 });
    expect(query).not.toHaveProperty("offset");
    expect(query).not.toHaveProperty("limit");
  });

  it("uses Meilisearch's defaults: limit 20, and hitsPerPage 20 when only page is given", () => {
    expect(planShardQuery({}, settings(), [1]).query).toMatchObject({ offset: 0, limit: 20 });
    expect(planShardQuery({ page: 2 }, settings(), [1]).query).toMatchObject({
      page: 1,
      hitsPerPage: 40,
    });
  });

  it("clamps the window to pagination.maxTotalHits like Meilisearch", () => {
    const capped = settings({ pagination: { maxTotalHits: 100 } });
    expect(planShardQuery({ offset: 90, limit: 50 }, capped, [1]).query.limit).toBe(100);
    expect(planShardQuery({ offset: 500, limit: 50 }, capped, [1]).query.limit).toBe(100);
    expect(planShardQuery({ page: 4, hitsPerPage: 30 }, capped, [1]).query.hitsPerPage).toBe(100);
  });

  it("still asks for the counts on page 0, which shows no hits", () => {
    expect(planShardQuery({ page: 0, hitsPerPage: 5 }, settings(), [1]).query).toMatchObject({
      page: 1,
      hitsPerPage: 0,
    });
  });

  it("switches ranking score and score details on and remembers whether the client asked", () => {
    const plain = planShardQuery({ q: "a" }, settings(), [1]);
    expect(plain.query).toMatchObject({ showRankingScore: true, showRankingScoreDetails: true });
    expect(plain.undo).toMatchObject({ keepRankingScore: false, keepRankingScoreDetails: false });
    const asked = planShardQuery({ showRankingScore: true }, settings(), [1]);
    expect(asked.undo).toMatchObject({ keepRankingScore: true, keepRankingScoreDetails: false });
  });

  it("restricts a string filter to the node's shards as its own array element, keeping its meaning", () => {
    const { query } = planShardQuery({ filter: "a = 1 OR b = 2" }, settings(), [3, 7]);
    expect(query.filter).toEqual(["a = 1 OR b = 2", "_miroir_shard IN [3, 7]"]);
    const unbalanced = planShardQuery({ filter: "a = 1) OR (b = 2" }, settings(), [3]);
    expect(unbalanced.query.filter).toEqual(["a = 1) OR (b = 2", "_miroir_shard IN [3]"]);
  });

  it("adds the shard restriction as one more AND-ed element of an array filter", () => {
    const { query } = planShardQuery({ filter: ["a = 1", ["b = 2", "c = 3"]] }, settings(), [0]);
    expect(query.filter).toEqual(["a = 1", ["b = 2", "c = 3"], "_miroir_shard IN [0]"]);
  });

  it("uses the shard restriction alone when the client has no filter", () => {
    for (const filter of [undefined, null, "  "]) {
      expect(planShardQuery({ filter }, settings(), [2]).query.filter).toBe("_miroir_shard IN [2]");
    }
  });

  it("adds the sort, distinct and primary-key attributes the merge needs to a restricted retrieval", () => {
    const plan = planShardQuery(
      {
        attributesToRetrieve: ["title"],
        sort: ["price:asc", "_geoPoint(1, 2):asc", "author.name:desc"],
        distinct: "sku",
      },
      settings(),
      [1],
    );
    expect(plan.query.attributesToRetrieve).toEqual(["title", "price", "author.name", "sku", "id"]);
    expect(plan.undo.addedAttributes).toEqual(["price", "author.name", "sku", "id"]);
  });

  it("adds nothing that the client's attributes already bring back", () => {
    const plan = planShardQuery(
      { attributesToRetrieve: ["id", "author"], sort: ["author.name:asc"] },
      settings({ distinctAttribute: "id" }),
      [1],
    );
    expect(plan.query.attributesToRetrieve).toEqual(["id", "author"]);
    expect(plan.undo.addedAttributes).toEqual([]);
    const all = planShardQuery({ attributesToRetrieve: ["*"], sort: ["x:asc"] }, settings(), [1]);
    expect(all.undo.addedAttributes).toEqual([]);
    expect(planShardQuery({ sort: ["x:asc"] }, settings(), [1]).query).not.toHaveProperty(
      "attributesToRetrieve",
    );
  });

  it("leaves the client's query untouched", () => {
    const client = { q: "a", limit: 5, filter: ["x = 1"], attributesToRetrieve: ["title"] };
    const copy = structuredClone(client);
    planShardQuery(client, settings(), [1]);
    expect(client).toEqual(copy);
  });
});
