import { Meilisearch } from "meilisearch";
import { generateTenantToken } from "meilisearch/token";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Cluster, startCluster } from "../src/index.js";

const MOVIES = [
  { id: 1, title: "Carol", genre: "romance", year: 2015 },
  { id: 2, title: "Wonder Woman", genre: "action", year: 2017 },
  { id: 3, title: "Life of Pi", genre: "adventure", year: 2012 },
  { id: 4, title: "Mad Max: Fury Road", genre: "action", year: 2015 },
];

describe("the official meilisearch JS client (0.62) against a harness node", () => {
  let cluster: Cluster;
  let client: Meilisearch;
  beforeAll(async () => {
    cluster = await startCluster({ nodes: 1, nodeMasterKey: "official-client-master-key" });
    client = new Meilisearch({
      host: cluster.nodes[0]?.address as string,
      apiKey: "official-client-master-key",
    });
  });
  afterAll(() => cluster.stop());

  it("creates an index, adds documents, waits, searches, updates settings and deletes", async () => {
    const created = await client.createIndex("movies", { primaryKey: "id" }).waitTask();
    expect(created.status).toBe("succeeded");

    const index = client.index<(typeof MOVIES)[number]>("movies");
    const enqueued = await index.addDocuments(MOVIES);
    const added = await client.tasks.waitForTask(enqueued.taskUid, { interval: 10 });
    expect(added).toMatchObject({
      status: "succeeded",
      details: { receivedDocuments: 4, indexedDocuments: 4 },
    });

    const found = await index.search("wonder");
    expect(found.hits.map((hit) => hit.id)).toEqual([2]);
    expect(found.estimatedTotalHits).toBe(1);

    const settings = await index
      .updateSettings({ filterableAttributes: ["genre"], sortableAttributes: ["year"] })
      .waitTask({ interval: 10 });
    expect(settings.status).toBe("succeeded");
    expect(await index.getFilterableAttributes()).toEqual(["genre"]);

    const filtered = await index.search("", { filter: "genre = action", sort: ["year:desc"] });
    expect(filtered.hits.map((hit) => hit.id)).toEqual([2, 4]);

    const faceted = await index.search("", { facets: ["genre"], limit: 0 });
    expect(faceted.facetDistribution).toEqual({ genre: { action: 2, adventure: 1, romance: 1 } });

    const stats = await index.getStats();
    expect(stats.numberOfDocuments).toBe(4);

    await index.deleteDocument(1).waitTask({ interval: 10 });
    expect((await index.getDocuments()).total).toBe(3);

    const deleted = await index.delete().waitTask({ interval: 10 });
    expect(deleted.status).toBe("succeeded");
    await expect(client.getIndex("movies")).rejects.toMatchObject({
      cause: { code: "index_not_found" },
    });
  });

  it("searches with a tenant token the client generated", async () => {
    await client
      .index("shared")
      .addDocuments([
        { id: 1, owner: "ann" },
        { id: 2, owner: "bob" },
      ])
      .waitTask({ interval: 10 });
    await client.index("shared").updateFilterableAttributes(["owner"]).waitTask({ interval: 10 });
    const keys = await client.getKeys();
    const searchKey = keys.results.find((key) => key.name === "Default Search API Key");
    if (searchKey === undefined) throw new Error("the default search key is missing");
    const token = await generateTenantToken({
      apiKey: searchKey.key,
      apiKeyUid: searchKey.uid,
      searchRules: { shared: { filter: "owner = bob" } },
      expiresAt: new Date(Date.now() + 60_000),
    });
    const tenant = new Meilisearch({ host: cluster.nodes[0]?.address as string, apiKey: token });
    const answer = await tenant.index("shared").search("");
    expect(answer.hits.map((hit) => hit.id)).toEqual([2]);
  });
});
