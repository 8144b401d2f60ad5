import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, healthOf } from "../cluster-ops/eventually.js";
import { json, type ProxiedCluster, startProxiedCluster } from "../proxy-cluster.js";

const HEALTH = { interval_ms: 400, timeout_ms: 350, unhealthy_threshold: 2, recovery_threshold: 1 };

/**
 * 4 nodes at RF 3: shards live on different triples, so no replica holds every shard
 * and a node's figure covers only some of a write. With node-3 down, a count summed over
 * the replicas and divided by 3 would miss a third of every document node-3 held.
 */
describe("exact document counts in task details while a replica misses the writes (4 nodes, RF 3)", () => {
  let env: ProxiedCluster;
  let restarted = false;
  const run = async (path: string, init: RequestInit) => {
    const answer = await env.miroir(path, init);
    expect(answer.status).toBe(202);
    return env.waitTask(((await answer.json()) as { taskUid: number }).taskUid);
  };
  const node3 = () => env.cluster.nodes.find((n) => n.id === "node-3")?.control;

  beforeAll(async () => {
    env = await startProxiedCluster(
      { nodes: 4, rf: 3, shards: 8 },
      { health: HEALTH, anti_entropy: { schedule: "every 1h" } },
    );
    await run("/indexes", json({ uid: "items", primaryKey: "id" }));
    await run("/indexes/items/settings/filterable-attributes", json(["colour"], "PUT"));
    const docs = Array.from({ length: 60 }, (_, id) => ({
      id,
      colour: id % 3 === 0 ? "red" : "blue",
    }));
    await run("/indexes/items/documents", json(docs));
    await node3()?.kill();
    await eventually(
      () => healthOf(env, "node-3"),
      (health) => health === "unreachable",
    );
  }, 60_000);
  afterAll(async () => {
    if (!restarted) await node3()?.restart();
    await env?.stop();
  });

  it("counts a batch of ids deleted, each existing one once", async () => {
    const ids = [...Array.from({ length: 10 }, (_, id) => id), 1000, 1001];
    const task = await run("/indexes/items/documents/delete-batch", json(ids));
    expect(task.status).toBe("succeeded");
    expect(task.details).toEqual({ providedIds: 12, deletedDocuments: 10, originalFilter: null });
  });

  it("counts one document deleted by id", async () => {
    const task = await run("/indexes/items/documents/10", { method: "DELETE" });
    expect(task.details).toEqual({ providedIds: 1, deletedDocuments: 1, originalFilter: null });
  });

  it("counts the documents a filter deleted, showing the client's filter", async () => {
    const task = await run("/indexes/items/documents/delete", json({ filter: "colour = red" }));
    expect(task.status).toBe("succeeded");
    // Red ids left: 12, 15, …, 57.
    expect(task.details).toEqual({
      providedIds: 0,
      deletedDocuments: 16,
      originalFilter: '"colour = red"',
    });
  });

  it("counts every document a delete-all removed", async () => {
    const task = await run("/indexes/items/documents", { method: "DELETE" });
    expect(task.status).toBe("succeeded");
    expect(task.details).toEqual({ deletedDocuments: 60 - 11 - 16 });
    const stats = await env.miroir("/indexes/items/stats");
    expect(((await stats.json()) as { numberOfDocuments: number }).numberOfDocuments).toBe(0);
  });

  it("gives node-3 the same deletions once it is back", async () => {
    await node3()?.restart();
    restarted = true;
    await eventually(
      async () =>
        (await (await env.miroir("/_miroir/repair/status")).json()) as { recovering: string[] },
      (status) => status.recovering.length === 0,
      30_000,
    );
    const answer = await env.node("node-3", "/indexes/items/documents?limit=0");
    expect(((await answer.json()) as { total: number }).total).toBe(0);
  }, 40_000);
});
