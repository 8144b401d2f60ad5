import { shardOf, topologyFromConfig, writeTargets } from "@miroir/router";
import type { NodeControl } from "@miroir/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { json, type ProxiedCluster, startProxiedCluster } from "./proxy-cluster.js";

describe("writes to one document", () => {
  let env: ProxiedCluster;
  beforeAll(async () => {
    env = await startProxiedCluster({ nodes: 3, rf: 3, shards: 4, relay: true });
  });
  afterAll(async () => {
    await env?.stop();
  });

  it("end on every replica as the last accepted one, even sent back to back", async () => {
    // One replica answers slowly, so unordered sends would overtake each other.
    env.cluster.nodes[1]?.control?.delay(15);
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, version) =>
        env.miroir(
          "/indexes/counters/documents?primaryKey=id",
          json([{ id: "c", version }], "PUT"),
        ),
      ),
    );
    env.cluster.nodes[1]?.control?.delay(0);
    const tasks = (await Promise.all(answers.map((answer) => answer.json()))) as {
      taskUid: number;
    }[];
    for (const task of tasks) expect((await env.waitTask(task.taskUid)).status).toBe("succeeded");
    const last = tasks.reduce((a, b) => (a.taskUid > b.taskUid ? a : b));
    const expected = tasks.indexOf(last);
    for (const node of env.cluster.nodes) {
      const stored = await env.node(node.id, "/indexes/counters/documents/c");
      expect(((await stored.json()) as { version: number }).version).toBe(expected);
    }
  });
});

describe("quorum with 2 groups × RF 3", () => {
  let env: ProxiedCluster;
  const control = (i: number) => env.cluster.nodes[i]?.control as NodeControl;
  beforeAll(async () => {
    env = await startProxiedCluster({ nodes: 6, groups: 2, rf: 3, shards: 4 });
  });
  afterAll(async () => {
    await env?.stop();
  });

  const write = (id: string) =>
    env.miroir("/indexes/quorum/documents?primaryKey=id", json([{ id, at: Date.now() }]));

  it("accepts a write with one replica of a group down, without X-Miroir-Degraded", async () => {
    await control(0).kill();
    const answer = await write("a");
    expect(answer.status).toBe(202);
    expect(answer.headers.get("x-miroir-degraded")).toBeNull();
  });

  it("accepts a write with two replicas of a group down, naming the group and shard that missed quorum", async () => {
    await control(1).kill();
    const answer = await write("b");
    expect(answer.status).toBe(202);
    expect(answer.headers.get("x-miroir-degraded")).toBe(`groups=0;shards=${shardOf("b", 4)}`);
    const task = await env.waitTask(((await answer.json()) as { taskUid: number }).taskUid);
    expect(task.status).toBe("succeeded");
  });

  it("refuses with 503 miroir_no_quorum when the shard reaches quorum in no group, retracting nothing", async () => {
    await control(3).kill();
    await control(4).kill();
    const answer = await write("c");
    expect(answer.status).toBe(503);
    expect(answer.headers.get("retry-after")).toBe("10");
    expect(await answer.json()).toMatchObject({ code: "miroir_no_quorum", type: "system" });
    const topology = topologyFromConfig(env.proxy.context.config.nodes, env.proxy.context.config);
    const alive = writeTargets(shardOf("c", 4), topology).filter((id) =>
      ["node-2", "node-5"].includes(id),
    );
    for (const nodeId of alive) {
      // The node indexes the write it acknowledged at its own pace (bounded wait).
      let status = 0;
      for (let attempt = 0; attempt < 200 && status !== 200; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        status = (await env.node(nodeId, "/indexes/quorum/documents/c")).status;
      }
      expect(status).toBe(200);
    }
  });
});

describe("a hung replica (3 nodes, RF 3)", () => {
  let env: ProxiedCluster;
  beforeAll(async () => {
    env = await startProxiedCluster({ nodes: 3, rf: 3, shards: 4 });
  });
  afterAll(async () => {
    await env?.stop();
  });

  it("does not hold a write that has its quorum, and is followed once it answers", {
    timeout: 20_000,
  }, async () => {
    const hung = env.cluster.nodes[2]?.control as NodeControl;
    hung.pause();
    const started = Date.now();
    const answer = await env.miroir(
      "/indexes/patient/documents?primaryKey=id",
      json([{ id: "x", value: 1 }]),
    );
    const elapsed = Date.now() - started;
    expect(answer.status).toBe(202);
    expect(answer.headers.get("x-miroir-degraded")).toBeNull();
    // Far below the 30 s request timeout a hung node would otherwise cost.
    expect(elapsed).toBeLessThan(8_000);
    hung.resume();
    const task = await env.waitTask(((await answer.json()) as { taskUid: number }).taskUid);
    expect(task.status).toBe("succeeded");
    for (let attempt = 0; attempt < 100; attempt++) {
      if ((await env.node("node-2", "/indexes/patient/documents/x")).status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect((await env.node("node-2", "/indexes/patient/documents/x")).status).toBe(200);
  });
});
