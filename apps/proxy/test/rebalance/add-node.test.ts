import { planMove, withJoiningNode } from "@miroir/router";
import { afterEach, describe, expect, it } from "vitest";
import {
  json,
  type MoveEnv,
  MoveWorkload,
  placementProblems,
  startMoveEnv,
  waitForIdle,
} from "./move-workload.js";

const SHARDS = 16;

describe.each([1, 2])("a node added to 3 nodes with RF=%i under load", (rf) => {
  let env: MoveEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  it("moves exactly the planned shards, loses no acknowledged write and keeps every search complete", {
    timeout: 120_000,
  }, async () => {
    env = await startMoveEnv({ configured: 3, spare: 1, rf, shards: SHARDS });
    const workload = new MoveWorkload(env);
    await workload.setUp(300);
    const before = env.proxy.context.cluster.topology;
    const added = env.spare[0];
    if (added === undefined) throw new Error("no spare node");
    const expected = planMove(
      before,
      withJoiningNode(before, { id: added.id, address: added.address, group: 0 }),
    );

    let settled = false;
    const load = Promise.all([
      workload.writeUntil(() => settled),
      workload.searchUntil(() => settled),
    ]);
    const answer = await env.miroir(
      "/_miroir/nodes",
      json({ id: added.id, address: added.address, replicaGroup: 0 }),
    );
    expect(answer.status).toBe(201);
    const done = await waitForIdle(env).finally(() => {
      // The load goes on a little against the new placement.
      setTimeout(() => {
        settled = true;
      }, 500);
    });
    await load;

    expect(workload.problems).toEqual([]);
    expect(workload.searches).toBeGreaterThan(0);
    expect(done.migration?.phase).toBe("done");
    expect(done.migration?.moves.map((m) => [m.shard, m.gains, m.losses])).toEqual(
      expected.map((m) => [m.shard, m.gains, m.losses]),
    );
    const metrics = await env.proxy.context.metrics.exposition();
    const moved = done.migration?.shardsTotal ?? 0;
    expect(metrics).toContain(`miroir_rebalance_shards_total ${moved}`);
    expect(metrics).toContain(`miroir_rebalance_shards_done ${moved}`);
    expect(metrics).toContain("miroir_rebalance_running 0");
    const topology = env.proxy.context.cluster.topology;
    expect(topology.nodes.find((n) => n.id === added.id)?.state).toBe("active");
    expect(await workload.finalProblems()).toEqual([]);
    expect(await placementProblems(env, SHARDS, [], workload.undecided)).toEqual([]);
  });
});
