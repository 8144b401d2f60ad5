import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { json, type ProxiedCluster, startProxiedCluster } from "../proxy-cluster.js";
import { entriesOf, replicaState } from "./replica-state.js";

interface PassAnswer {
  divergentDocuments: number;
  repairedDocuments: number;
  divergentSettings: number;
  indexes: {
    indexUid: string;
    shards: {
      shard: number;
      divergent: number;
      repaired: number;
      digests: Record<string, string>;
    }[];
    settings: { divergent: string[]; repaired: string[]; undecided: boolean };
  }[];
}

const NODES = ["node-0", "node-1", "node-2"];

describe("anti-entropy over 3 nodes, RF 3", () => {
  let env: ProxiedCluster;
  const pass = async (path: "/_miroir/verify" | "/_miroir/repair", scope: object = {}) => {
    const answer = await env.miroir(path, json(scope));
    expect(answer.status).toBe(200);
    return (await answer.json()) as PassAnswer;
  };
  const onNode = async (nodeId: string, path: string, init: RequestInit) => {
    const answer = await env.node(nodeId, path, init);
    expect(answer.status).toBe(202);
    const { taskUid } = (await answer.json()) as { taskUid: number };
    for (let attempt = 0; attempt < 1000; attempt++) {
      const task = (await (await env.node(nodeId, `/tasks/${taskUid}`)).json()) as {
        status: string;
      };
      if (task.status === "succeeded") return;
      if (task.status === "failed") throw new Error(JSON.stringify(task));
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error("node task did not finish");
  };
  const states = () => Promise.all(NODES.map((nodeId) => replicaState(env, nodeId, "notes")));

  beforeAll(async () => {
    env = await startProxiedCluster(
      { nodes: 3, rf: 3, shards: 4 },
      { anti_entropy: { schedule: "every 1h" } },
    );
    const created = await env.miroir("/indexes", json({ uid: "notes", primaryKey: "id" }));
    await env.waitTask(((await created.json()) as { taskUid: number }).taskUid);
    const docs = Array.from({ length: 40 }, (_, id) => ({ id, text: `note ${id}` }));
    const added = await env.miroir("/indexes/notes/documents", json(docs));
    await env.waitTask(((await added.json()) as { taskUid: number }).taskUid);
    const deleted = await env.miroir("/indexes/notes/documents/delete-batch", json([39]));
    await env.waitTask(((await deleted.json()) as { taskUid: number }).taskUid);
  }, 60_000);
  afterAll(async () => {
    await env?.stop();
  });

  it("finds nothing to do on replicas that agree", async () => {
    const report = await pass("/_miroir/verify");
    expect(report.divergentDocuments).toBe(0);
    expect(report.divergentSettings).toBe(0);
    const shards = report.indexes.find((index) => index.indexUid === "notes")?.shards ?? [];
    expect(shards).toHaveLength(4);
    for (const shard of shards) expect(new Set(Object.values(shard.digests)).size).toBe(1);
  });

  it("finds documents changed, added and deleted behind Miroir's back, and repairs them newest-wins", async () => {
    const ndjson = (lines: object[]) => ({
      method: "POST",
      headers: { "content-type": "application/x-ndjson" },
      body: lines.map((line) => JSON.stringify(line)).join("\n"),
    });
    const before = await states();
    // node-1: document 5 replaced without Miroir's fields (no version, no shard).
    await onNode("node-1", "/indexes/notes/documents", ndjson([{ id: 5, text: "tampered" }]));
    // node-2: document 6 deleted; an unknown document 500 added; the deleted 39 brought back
    // with its old version.
    await onNode("node-2", "/indexes/notes/documents/6", { method: "DELETE" });
    const shardOf39 = (await (await env.node("node-0", "/indexes/notes/documents/38")).json()) as {
      _miroir_shard: number;
    };
    await onNode(
      "node-2",
      "/indexes/notes/documents",
      ndjson([
        { id: 500, text: "stray", _miroir_shard: 0 },
        { id: 39, text: "ghost", _miroir_shard: shardOf39._miroir_shard, _miroir_updated_at: 1 },
      ]),
    );
    const found = await pass("/_miroir/verify");
    // 5 lost its shard field, so its shard sees it missing on node-1: 5, 6, 500 and 39 differ.
    expect(found.divergentDocuments).toBe(4);
    expect(found.repairedDocuments).toBe(0);

    const repaired = await pass("/_miroir/repair");
    expect(repaired.divergentDocuments).toBe(4);
    const after = await states();
    for (const state of after)
      expect(entriesOf(state)).toEqual(entriesOf(before[0] as Map<string, number | null>));
    const five = (await (await env.node("node-1", "/indexes/notes/documents/5")).json()) as {
      text: string;
    };
    expect(five.text).toBe("note 5");
    expect((await pass("/_miroir/verify")).divergentDocuments).toBe(0);
  }, 60_000);

  it("finds a setting changed on one node and sets it back to the others'", async () => {
    await onNode("node-0", "/indexes/notes/settings", {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ stopWords: ["the"] }),
    });
    const found = await pass("/_miroir/verify", { indexUid: "notes" });
    expect(found.indexes[0]?.settings).toEqual({
      divergent: ["node-0"],
      repaired: [],
      undecided: false,
    });
    const repaired = await pass("/_miroir/repair", { indexUid: "notes" });
    expect(repaired.indexes[0]?.settings.repaired).toEqual(["node-0"]);
    const stopWords = await (await env.node("node-0", "/indexes/notes/settings/stop-words")).json();
    expect(stopWords).toEqual([]);
    expect((await pass("/_miroir/verify")).divergentSettings).toBe(0);
  }, 60_000);
});
