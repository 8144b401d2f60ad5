import { Meilisearch } from "meilisearch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ProxiedCluster, startProxiedCluster } from "../proxy-cluster.js";

describe("the official meilisearch JS client on the rest of the API surface", () => {
  let env: ProxiedCluster;
  let client: Meilisearch;
  beforeAll(async () => {
    env = await startProxiedCluster({ nodes: 3, groups: 1, rf: 2, shards: 8 });
    client = new Meilisearch({ host: env.url });
  });
  afterAll(async () => {
    await env?.stop();
  });

  it("reads the version and exact stats", async () => {
    expect((await client.getVersion()).pkgVersion).toMatch(/^\d+\.\d+\.\d+/);
    await client.createIndex("shelf", { primaryKey: "id" }).waitTask();
    await client
      .index("shelf")
      .addDocuments(Array.from({ length: 25 }, (_, id) => ({ id, title: `t${id}` })))
      .waitTask();
    const stats = await client.getStats();
    expect(stats.indexes.shelf?.numberOfDocuments).toBe(25);
  });

  it("creates a dump and a snapshot and waits for them like on one node", async () => {
    const dump = await client.createDump().waitTask();
    expect(dump).toMatchObject({ type: "dumpCreation", status: "succeeded" });
    const snapshot = await client.createSnapshot().waitTask();
    expect(snapshot).toMatchObject({ type: "snapshotCreation", status: "succeeded" });
  });

  it("lists and reads batches", async () => {
    const batches = await client.batches.getBatches({ limit: 2 });
    expect(batches.results).toHaveLength(2);
    const newest = batches.results[0];
    expect(newest).toBeDefined();
    expect((await client.batches.getBatch(newest?.uid as number)).uid).toBe(newest?.uid);
  });

  it("manages webhooks", async () => {
    const created = await client.createWebhook({ url: "https://example.com/hook" });
    expect(created.isEditable).toBe(true);
    expect((await client.getWebhook(created.uuid)).url).toBe("https://example.com/hook");
    const updated = await client.updateWebhook(created.uuid, { headers: { referer: "me" } });
    expect(updated.headers).toEqual({ referer: "me" });
    expect((await client.getWebhooks()).results.map((hook) => hook.uuid)).toEqual([created.uuid]);
    await client.deleteWebhook(created.uuid);
    expect((await client.getWebhooks()).results).toEqual([]);
  });

  it("reads and switches experimental features", async () => {
    const before = await client.getExperimentalFeatures();
    expect(before.containsFilter).toBe(false);
    const after = await client.updateExperimentalFeatures({ containsFilter: true });
    expect(after).toEqual({ ...before, containsFilter: true });
    expect(await client.getExperimentalFeatures()).toEqual(after);
  });

  it("compacts an index", async () => {
    const task = await client.index("shelf").compact().waitTask();
    expect(task).toMatchObject({ type: "indexCompaction", status: "succeeded" });
  });
});
