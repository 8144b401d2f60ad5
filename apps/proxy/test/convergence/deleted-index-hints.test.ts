import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, healthOf } from "../cluster-ops/eventually.js";
import { json, type ProxiedCluster, startProxiedCluster } from "../proxy-cluster.js";
import { entriesOf, type RepairStatusAnswer, replicaState } from "./replica-state.js";

const HEALTH = { interval_ms: 400, timeout_ms: 350, unhealthy_threshold: 2, recovery_threshold: 1 };

describe("hints of a deleted index, 3 nodes, RF 3", () => {
  let env: ProxiedCluster;
  const waitTask = (answer: Response) => env.accepted(answer);
  const status = async () =>
    (await (await env.miroir("/_miroir/repair/status")).json()) as RepairStatusAnswer;

  beforeAll(async () => {
    env = await startProxiedCluster(
      { nodes: 3, rf: 3, shards: 4 },
      { health: HEALTH, anti_entropy: { schedule: "every 1h" } },
    );
    await waitTask(await env.miroir("/indexes", json({ uid: "gone", primaryKey: "id" })));
    const docs = Array.from({ length: 10 }, (_, id) => ({ id, text: `old ${id}` }));
    expect((await waitTask(await env.miroir("/indexes/gone/documents", json(docs)))).status).toBe(
      "succeeded",
    );
  }, 60_000);
  afterAll(async () => {
    await env?.stop();
  });

  it("drops them with the index's tombstones, sends the deletion to the node that missed it, and gives an index created again none of them", async () => {
    await env.control("node-2").kill();
    let restarted = false;
    try {
      await eventually(
        () => healthOf(env, "node-2"),
        (health) => health === "unreachable",
      );
      const added = [{ id: 50, text: "old, added while node-2 was down" }];
      await waitTask(await env.miroir("/indexes/gone/documents", json(added)));
      await waitTask(await env.miroir("/indexes/gone/documents/delete-batch", json([1, 2])));
      expect((await status()).hintsPending).toEqual({ "node-2": 2 });
      expect((await env.proxy.context.taskStore.tombstones.list("gone")).size).toBe(2);

      const deletion = await env.miroir("/indexes/gone", { method: "DELETE" });
      expect(deletion.status).toBe(202);
      await env.waitTask(((await deletion.json()) as { taskUid: number }).taskUid);
      // The two writes are gone; the deletion itself waits for node-2.
      expect((await status()).hintsPending).toEqual({ "node-2": 1 });
      expect((await env.proxy.context.taskStore.tombstones.list("gone")).size).toBe(0);
      for (const nodeId of ["node-0", "node-1"]) {
        expect((await env.node(nodeId, "/indexes/gone")).status).toBe(404);
      }

      await env.control("node-2").restart();
      restarted = true;
      await eventually(status, (now) => now.recovering.length === 0, 30_000);
      expect((await env.node("node-2", "/indexes/gone")).status).toBe(404);

      await waitTask(await env.miroir("/indexes", json({ uid: "gone", primaryKey: "id" })));
      const fresh = [{ id: 100, text: "new" }];
      expect(
        (await waitTask(await env.miroir("/indexes/gone/documents", json(fresh)))).status,
      ).toBe("succeeded");
      const states = await Promise.all(
        ["node-0", "node-1", "node-2"].map((nodeId) => replicaState(env, nodeId, "gone")),
      );
      for (const state of states) {
        expect([...state.keys()]).toEqual(["100"]);
        expect(entriesOf(state)).toEqual(entriesOf(states[0] as Map<string, number | null>));
      }
    } finally {
      if (!restarted) await env.control("node-2").restart();
    }
  }, 90_000);
});
