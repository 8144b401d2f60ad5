import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { json, type ProxiedCluster, startProxiedCluster } from "./proxy-cluster.js";

async function bodyOf<T>(answer: Response | Promise<Response>): Promise<T> {
  return (await (await answer).json()) as T;
}

describe("index lifecycle and settings over 3 nodes", () => {
  let env: ProxiedCluster;

  beforeAll(async () => {
    env = await startProxiedCluster({ nodes: 3, shards: 8 });
  });
  afterAll(async () => {
    await env?.stop();
  });

  it("creates an index on every node with its primary key and _miroir_shard filterable but hidden", async () => {
    const created = await env.miroir("/indexes", json({ uid: "films", primaryKey: "ref" }));
    expect(created.status).toBe(202);
    const enqueued = await bodyOf<{ taskUid: number; type: string }>(created);
    expect(enqueued.type).toBe("indexCreation");
    expect((await env.waitTask(enqueued.taskUid)).status).toBe("succeeded");
    for (const node of env.cluster.nodes) {
      expect(await bodyOf(env.node(node.id, "/indexes/films"))).toMatchObject({
        primaryKey: "ref",
      });
      expect(
        await bodyOf(env.node(node.id, "/indexes/films/settings/filterable-attributes")),
      ).toEqual(["_miroir_shard"]);
    }
    expect(await bodyOf(env.miroir("/indexes/films"))).toMatchObject({
      uid: "films",
      primaryKey: "ref",
    });
    expect(await bodyOf(env.miroir("/indexes/films/settings/filterable-attributes"))).toEqual([]);
    const settings = await bodyOf<{ filterableAttributes: unknown[] }>(
      env.miroir("/indexes/films/settings"),
    );
    expect(settings.filterableAttributes).toEqual([]);
    const list = await bodyOf<{ results: { uid: string }[]; total: number }>(
      env.miroir("/indexes"),
    );
    expect(list.results.map((index) => index.uid)).toContain("films");
  });

  it("fails a second creation of the same index with the node's index_already_exists", async () => {
    const answer = await env.miroir("/indexes", json({ uid: "films" }));
    const task = await env.waitTask((await bodyOf<{ taskUid: number }>(answer)).taskUid);
    expect(task).toMatchObject({ status: "failed", error: { code: "index_already_exists" } });
  });

  it("answers index_not_found for an unknown index", async () => {
    const answer = await env.miroir("/indexes/nothing-here");
    expect(answer.status).toBe(404);
    expect(await answer.json()).toMatchObject({ code: "index_not_found" });
  });

  it("puts synonyms set through Miroir on every node", async () => {
    const synonyms = { wolverine: ["logan", "xmen"], logan: ["wolverine"] };
    const answer = await env.miroir("/indexes/films/settings/synonyms", json(synonyms, "PUT"));
    const task = await env.waitTask((await bodyOf<{ taskUid: number }>(answer)).taskUid);
    expect(task).toMatchObject({ status: "succeeded", type: "settingsUpdate" });
    for (const node of env.cluster.nodes) {
      expect(await bodyOf(env.node(node.id, "/indexes/films/settings/synonyms"))).toEqual(synonyms);
    }
  });

  it("keeps _miroir_shard filterable when a client replaces or resets filterable attributes", async () => {
    const set = await env.miroir(
      "/indexes/films/settings",
      json({ filterableAttributes: ["year"] }, "PATCH"),
    );
    await env.waitTask((await bodyOf<{ taskUid: number }>(set)).taskUid);
    expect(await bodyOf(env.miroir("/indexes/films/settings/filterable-attributes"))).toEqual([
      "year",
    ]);
    const reset = await env.miroir("/indexes/films/settings", { method: "DELETE" });
    await env.waitTask((await bodyOf<{ taskUid: number }>(reset)).taskUid);
    for (const node of env.cluster.nodes) {
      expect(
        await bodyOf(env.node(node.id, "/indexes/films/settings/filterable-attributes")),
      ).toEqual(["_miroir_shard"]);
      expect(await bodyOf(env.node(node.id, "/indexes/films/settings/synonyms"))).toEqual({});
    }
  });

  it("restores the old value on every node and fails the task when one node rejects a setting", async () => {
    const before = { hulk: ["banner"] };
    const first = await env.miroir("/indexes/films/settings/synonyms", json(before, "PUT"));
    await env.waitTask((await bodyOf<{ taskUid: number }>(first)).taskUid);

    // node-1 alone holds a document without vectors, so adding a `userProvided` embedder
    // fails there by itself (vector_embedding_error) and succeeds on the other nodes.
    const stray = await nodeTask(
      "node-1",
      env.node("node-1", "/indexes/films/documents", json([{ ref: "stray", _miroir_shard: 0 }])),
    );
    expect(stray.status).toBe("succeeded");
    const answer = await env.miroir(
      "/indexes/films/settings",
      json(
        {
          synonyms: { thor: ["odinson"] },
          embedders: { manual: { source: "userProvided", dimensions: 2 } },
        },
        "PATCH",
      ),
    );
    const task = await env.waitTask((await bodyOf<{ taskUid: number }>(answer)).taskUid);
    const removed = await nodeTask(
      "node-1",
      env.node("node-1", "/indexes/films/documents/stray", { method: "DELETE" }),
    );
    expect(removed.status).toBe("succeeded");
    expect(task).toMatchObject({ status: "failed", type: "settingsUpdate" });
    expect((task.error as { code: string }).code).toBeTruthy();
    for (const node of env.cluster.nodes) {
      expect(await bodyOf(env.node(node.id, "/indexes/films/settings/synonyms"))).toEqual(before);
      expect(await bodyOf(env.node(node.id, "/indexes/films/settings/embedders"))).toEqual({});
    }
  });

  /** Waits for a task written on one node directly. */
  async function nodeTask(nodeId: string, sent: Promise<Response>): Promise<{ status: string }> {
    const { taskUid } = await bodyOf<{ taskUid: number }>(sent);
    for (let attempt = 0; attempt < 400; attempt++) {
      const task = await bodyOf<{ status: string }>(env.node(nodeId, `/tasks/${taskUid}`));
      if (!["enqueued", "processing"].includes(task.status)) return task;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`task ${taskUid} of ${nodeId} did not finish`);
  }

  it("passes a node's synchronous settings error through and records no task", async () => {
    const answer = await env.miroir(
      "/indexes/films/settings/ranking-rules",
      json(["nonsense rule!"], "PUT"),
    );
    expect(answer.status).toBe(400);
    expect(await answer.json()).toMatchObject({ code: "invalid_settings_ranking_rules" });
  });

  it("deletes an index from every node", async () => {
    const answer = await env.miroir("/indexes/films", { method: "DELETE" });
    const task = await env.waitTask((await bodyOf<{ taskUid: number }>(answer)).taskUid);
    expect(task).toMatchObject({ status: "succeeded", type: "indexDeletion" });
    for (const node of env.cluster.nodes) {
      expect((await env.node(node.id, "/indexes/films")).status).toBe(404);
    }
  });
});

describe("an index deleted then written again at once", () => {
  let env: ProxiedCluster;
  beforeAll(async () => {
    env = await startProxiedCluster({ nodes: 2, shards: 4 });
  });
  afterAll(async () => {
    await env?.stop();
  });

  it("is re-created on every node with _miroir_shard filterable, behind the deletion", async () => {
    const first = await env.miroir("/indexes/again/documents", json([{ id: 1 }, { id: 2 }]));
    await env.waitTask((await bodyOf<{ taskUid: number }>(first)).taskUid);
    const deletion = await bodyOf<{ taskUid: number }>(
      env.miroir("/indexes/again", { method: "DELETE" }),
    );
    // Written before the deletion has run on the nodes.
    const write = await bodyOf<{ taskUid: number }>(
      env.miroir("/indexes/again/documents", json([{ id: 3 }])),
    );
    expect((await env.waitTask(deletion.taskUid)).status).toBe("succeeded");
    expect((await env.waitTask(write.taskUid)).status).toBe("succeeded");
    for (const node of env.cluster.nodes) {
      const filterable = await bodyOf(
        env.node(node.id, "/indexes/again/settings/filterable-attributes"),
      );
      expect(filterable).toEqual(["_miroir_shard"]);
    }
  });
});
