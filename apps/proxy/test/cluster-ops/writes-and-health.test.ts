import { shardOf } from "@miroir/router";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { json, type ProxiedCluster, startProxiedCluster } from "../proxy-cluster.js";
import { eventually, healthOf, type ShardsAnswer } from "./eventually.js";

const SHARDS = 4;
const HEALTH = { interval_ms: 200, timeout_ms: 150, unhealthy_threshold: 2, recovery_threshold: 1 };
const DOCUMENTS = Array.from({ length: 24 }, (_, id) => ({ id: `n${id}`, text: `note ${id}` }));

describe("writes with a node the health checker knows to be unreachable", () => {
  let env: ProxiedCluster;
  let shardsOf: (nodeId: string) => number[];
  const additionsOn = async (nodeId: string) => {
    const page = (await (
      await env.node(nodeId, "/tasks?indexUids=notes&types=documentAdditionOrUpdate")
    ).json()) as { total: number };
    return page.total;
  };
  const written = [...new Set(DOCUMENTS.map((document) => shardOf(document.id, SHARDS)))];

  beforeAll(async () => {
    // Two groups of two nodes, RF 1: every shard once per group, quorum 1 per group.
    env = await startProxiedCluster(
      { nodes: 4, groups: 2, rf: 1, shards: SHARDS },
      { health: HEALTH, connection_pool: { request_timeout_ms: 20_000 } },
    );
    const shards = (await (await env.miroir("/_miroir/shards")).json()) as ShardsAnswer;
    shardsOf = (nodeId) =>
      shards.shards
        .filter((row) => row.groups.some((group) => group.nodes.includes(nodeId)))
        .map((row) => row.shard)
        .filter((shard) => written.includes(shard))
        .sort((a, b) => a - b);
    const created = await env.miroir("/indexes", json({ uid: "notes", primaryKey: "id" }));
    await env.waitTask(((await created.json()) as { taskUid: number }).taskUid);
  });
  afterAll(async () => {
    await env?.stop();
  });

  it("answers 202 with X-Miroir-Degraded naming the group and the shards a killed node missed", async () => {
    await env.control("node-2").kill();
    try {
      await eventually(
        () => healthOf(env, "node-2"),
        (health) => health === "unreachable",
      );
      const answer = await env.miroir("/indexes/notes/documents", json(DOCUMENTS));
      expect(answer.status).toBe(202);
      expect(answer.headers.get("x-miroir-degraded")).toBe(
        `groups=1;shards=${shardsOf("node-2").join(",")}`,
      );
      const task = await env.waitTask(((await answer.json()) as { taskUid: number }).taskUid);
      expect(task.status).toBe("succeeded");
    } finally {
      await env.control("node-2").restart();
    }
    await eventually(
      () => healthOf(env, "node-2"),
      (health) => health === "healthy",
    );
  });

  it("never calls a hung node it knows to be unreachable, and answers without waiting for it", async () => {
    const before = await additionsOn("node-3");
    env.control("node-3").pause();
    try {
      await eventually(
        () => healthOf(env, "node-3"),
        (health) => health === "unreachable",
      );
      const started = Date.now();
      const answer = await env.miroir("/indexes/notes/documents", json(DOCUMENTS, "PUT"));
      const tookMs = Date.now() - started;
      expect(answer.status).toBe(202);
      expect(answer.headers.get("x-miroir-degraded")).toBe(
        `groups=1;shards=${shardsOf("node-3").join(",")}`,
      );
      // The request timeout is 20 s and the late-acknowledgement grace 1 s: an answer
      // well inside both means the hung node was never waited for.
      expect(tookMs).toBeLessThan(1_000);
      const { taskUid } = (await answer.json()) as { taskUid: number };
      expect((await env.waitTask(taskUid)).status).toBe("succeeded");
    } finally {
      env.control("node-3").resume();
    }
    // The write the hung node missed was kept as a hint and reaches it once, by the hint
    // replay after it answers again. Had it also been sent while the node hung, the node
    // would have taken it on resuming as well: a second addition.
    await eventually(
      () => additionsOn("node-3"),
      (additions) => additions === before + 1,
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await additionsOn("node-3")).toBe(before + 1);
  });
});
