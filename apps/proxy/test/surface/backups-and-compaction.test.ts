import { isRealMode } from "@miroir/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { json, type ProxiedCluster, startProxiedCluster } from "../proxy-cluster.js";

interface NodeTaskList {
  results: { uid: number; type: string; status: string; details?: Record<string, unknown> }[];
}

describe("dumps, snapshots and compaction as one Miroir task over every node", () => {
  let env: ProxiedCluster;
  beforeAll(async () => {
    env = await startProxiedCluster({ nodes: 3, groups: 1, rf: 2, shards: 8, relay: true });
  });
  afterAll(async () => {
    await env?.stop();
  });

  async function nodeTasksOfType(nodeId: string, type: string) {
    const answer = (await (await env.node(nodeId, `/tasks?types=${type}`)).json()) as NodeTaskList;
    return answer.results;
  }

  it("answers POST /dumps with one enqueued dumpCreation task that dumps every node", async () => {
    const answer = await env.miroir("/dumps", { method: "POST" });
    expect(answer.status).toBe(202);
    const enqueued = (await answer.json()) as Record<string, unknown>;
    expect(enqueued).toMatchObject({ indexUid: null, status: "enqueued", type: "dumpCreation" });
    const task = await env.waitTask(enqueued.taskUid as number);
    expect(task).toMatchObject({ status: "succeeded", type: "dumpCreation", error: null });
    const nodes = (task.details as { nodes: Record<string, Record<string, unknown>> }).nodes;
    expect(Object.keys(nodes)).toEqual(["node-0", "node-1", "node-2"]);
    for (const node of env.cluster.nodes) {
      const dumps = await nodeTasksOfType(node.id, "dumpCreation");
      expect(dumps).toHaveLength(1);
      const dumpUid = dumps[0]?.details?.dumpUid;
      expect(nodes[node.id]).toEqual({
        taskUid: dumps[0]?.uid,
        status: "succeeded",
        dumpUid,
        file: `${String(dumpUid)}.dump`,
      });
    }
  });

  it("answers POST /snapshots with one snapshotCreation task over every node", async () => {
    const enqueued = (await (await env.miroir("/snapshots", { method: "POST" })).json()) as {
      taskUid: number;
      type: string;
    };
    expect(enqueued.type).toBe("snapshotCreation");
    const task = await env.waitTask(enqueued.taskUid);
    expect(task.status).toBe("succeeded");
    for (const node of env.cluster.nodes) {
      expect(await nodeTasksOfType(node.id, "snapshotCreation")).toHaveLength(1);
    }
    expect(Object.keys((task.details as { nodes: object }).nodes)).toHaveLength(3);
  });

  it("fails the dump task with the node's error when one node's dump fails", async () => {
    // node-1's dump folder is made unusable, so that node fails its dump by itself.
    const failing = env.cluster.nodes[1]?.control;
    await failing?.breakDumps();
    try {
      const enqueued = (await (await env.miroir("/dumps", { method: "POST" })).json()) as {
        taskUid: number;
      };
      const task = await env.waitTask(enqueued.taskUid);
      expect(task).toMatchObject({ status: "failed", error: { code: "internal" } });
      const nodes = (task.details as { nodes: Record<string, { status: string }> }).nodes;
      expect(nodes["node-1"]?.status).toBe("failed");
      expect(nodes["node-0"]?.status).toBe("succeeded");
    } finally {
      await failing?.repairDumps();
    }
  });

  it("fails the dump task when a node cannot be reached, without waiting for it", async () => {
    const down = env.cluster.nodes[2]?.control;
    await down?.kill();
    try {
      const enqueued = (await (await env.miroir("/dumps", { method: "POST" })).json()) as {
        taskUid: number;
      };
      const task = await env.waitTask(enqueued.taskUid);
      expect(task).toMatchObject({ status: "failed", error: { code: "miroir_node_unreachable" } });
      expect(Object.keys((task.details as { nodes: object }).nodes)).toEqual(["node-0", "node-1"]);
    } finally {
      await down?.restart();
    }
  });

  // Emulated only: nodes answering an error; its real twin is the test below it.
  it.skipIf(isRealMode())(
    "answers the nodes' error and creates no task when every node refuses the dump",
    async () => {
      for (const node of env.cluster.nodes) node.control?.failNext("POST /dumps", 503);
      const before = (await (await env.miroir("/tasks?types=dumpCreation")).json()) as {
        total: number;
      };
      const answer = await env.miroir("/dumps", { method: "POST" });
      expect(answer.status).toBe(503);
      expect(((await answer.json()) as { code: string }).code).toBe("internal");
      const after = (await (await env.miroir("/tasks?types=dumpCreation")).json()) as {
        total: number;
      };
      expect(after.total).toBe(before.total);
    },
  );

  it("creates no task when no node can be reached for the dump", async () => {
    const before = (await (await env.miroir("/tasks?types=dumpCreation")).json()) as {
      total: number;
    };
    const relays = env.cluster.nodes.map((node) => node.relay);
    let answer: Response;
    try {
      for (const relay of relays) await relay?.refuse();
      answer = await env.miroir("/dumps", { method: "POST" });
    } finally {
      for (const relay of relays) await relay?.heal();
    }
    expect(answer.status).toBe(502);
    expect(((await answer.json()) as { code: string }).code).toBe("miroir_node_unreachable");
    const after = (await (await env.miroir("/tasks?types=dumpCreation")).json()) as {
      total: number;
    };
    expect(after.total).toBe(before.total);
  });

  it("compacts an index on every node as one indexCompaction task", async () => {
    const created = (await (await env.miroir("/indexes", json({ uid: "packed" }))).json()) as {
      taskUid: number;
    };
    await env.waitTask(created.taskUid);
    const answer = await env.miroir("/indexes/packed/compact", { method: "POST" });
    expect(answer.status).toBe(202);
    const enqueued = (await answer.json()) as { taskUid: number; indexUid: string; type: string };
    expect(enqueued).toMatchObject({ indexUid: "packed", type: "indexCompaction" });
    const task = await env.waitTask(enqueued.taskUid);
    expect(task.status).toBe("succeeded");
    for (const node of env.cluster.nodes) {
      expect(await nodeTasksOfType(node.id, "indexCompaction")).toHaveLength(1);
    }
  });

  it("fails the compaction task with index_not_found for an unknown index", async () => {
    const enqueued = (await (
      await env.miroir("/indexes/nowhere/compact", { method: "POST" })
    ).json()) as {
      taskUid: number;
    };
    const task = await env.waitTask(enqueued.taskUid);
    expect(task).toMatchObject({ status: "failed", error: { code: "index_not_found" } });
  });
});
