import { Meilisearch } from "meilisearch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ProxiedCluster, startProxiedCluster } from "./proxy-cluster.js";

describe("the official meilisearch JS client", () => {
  let env: ProxiedCluster;
  beforeAll(async () => {
    env = await startProxiedCluster({ nodes: 3, shards: 8 });
  });
  afterAll(async () => {
    await env?.stop();
  });

  it("runs create → addDocuments → waitForTask → updateSettings → deleteIndex against Miroir unchanged", async () => {
    const client = new Meilisearch({ host: env.url });
    const created = await client.createIndex("books", { primaryKey: "id" }).waitTask();
    expect(created.status).toBe("succeeded");

    const index = client.index("books");
    const added = await index.addDocuments(
      Array.from({ length: 50 }, (_, id) => ({ id, title: `book ${id}` })),
    );
    const addition = await client.tasks.waitForTask(added.taskUid);
    expect(addition).toMatchObject({
      status: "succeeded",
      type: "documentAdditionOrUpdate",
      details: { receivedDocuments: 50, indexedDocuments: 50 },
    });

    const settings = await index
      .updateSettings({ searchableAttributes: ["title"], sortableAttributes: ["id"] })
      .waitTask();
    expect(settings.status).toBe("succeeded");
    expect(await index.getSortableAttributes()).toEqual(["id"]);
    expect(await index.getFilterableAttributes()).toEqual([]);

    const listed = await client.tasks.getTasks({ indexUids: ["books"] });
    expect(listed.results.map((task) => task.uid)).toEqual(
      [settings.uid, addition.uid, created.uid].sort((a, b) => b - a),
    );

    const deleted = await client.deleteIndex("books").waitTask();
    expect(deleted.status).toBe("succeeded");
    for (const node of env.cluster.nodes) {
      expect((await env.node(node.id, "/indexes/books")).status).toBe(404);
    }
  });
});
