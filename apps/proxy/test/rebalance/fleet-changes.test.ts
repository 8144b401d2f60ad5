import { afterEach, describe, expect, it } from "vitest";
import {
  json,
  type MoveEnv,
  MoveWorkload,
  placementProblems,
  type StatusAnswer,
  startMoveEnv,
  underLoad,
} from "./move-workload.js";

const SHARDS = 16;

async function statusOf(env: MoveEnv): Promise<StatusAnswer> {
  return (await (await env.miroir("/_miroir/rebalance/status")).json()) as StatusAnswer;
}

async function stateOf(env: MoveEnv, nodeId: string): Promise<string | undefined> {
  const topology = (await (await env.miroir("/_miroir/topology")).json()) as {
    nodes: { id: string; state: string; health: string }[];
  };
  return topology.nodes.find((node) => node.id === nodeId)?.state;
}

async function healthOf(env: MoveEnv, nodeId: string): Promise<string | undefined> {
  const topology = (await (await env.miroir("/_miroir/topology")).json()) as {
    nodes: { id: string; health: string }[];
  };
  return topology.nodes.find((node) => node.id === nodeId)?.health;
}

async function until(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error("condition not met in time");
}

function expectComplete(workload: MoveWorkload): void {
  expect(workload.problems).toEqual([]);
  expect(workload.searches).toBeGreaterThan(0);
  expect(workload.writes).toBeGreaterThan(0);
}

describe("fleet changes under load", () => {
  let env: MoveEnv | undefined;
  afterEach(async () => {
    await env?.stop();
    env = undefined;
  });

  it("drains a node: its shards move to the others, then it leaves the fleet", {
    timeout: 120_000,
  }, async () => {
    env = await startMoveEnv({ configured: 3, spare: 0, shards: SHARDS });
    const workload = new MoveWorkload(env);
    await workload.setUp(300);
    const e = env;
    const done = await underLoad(e, workload, async () => {
      expect((await e.miroir("/_miroir/nodes/node-1/drain", { method: "POST" })).status).toBe(200);
    });
    expectComplete(workload);
    expect(done.migration?.phase).toBe("done");
    expect(done.migration?.moves.every((m) => m.losses.join() === "node-1")).toBe(true);
    expect(await stateOf(e, "node-1")).toBe("removed");
    expect(await workload.finalProblems()).toEqual([]);
    expect(await placementProblems(e, SHARDS, [], workload.undecided)).toEqual([]);
  });

  it("removes a replica group: the other group serves everything throughout", {
    timeout: 120_000,
  }, async () => {
    env = await startMoveEnv({ configured: 4, spare: 0, groups: 2, shards: SHARDS });
    const workload = new MoveWorkload(env);
    await workload.setUp(300);
    const e = env;
    const done = await underLoad(e, workload, async () => {
      expect((await e.miroir("/_miroir/groups/1", { method: "DELETE" })).status).toBe(200);
    });
    expectComplete(workload);
    expect(done.migration?.phase).toBe("done");
    expect(done.migration?.moves.every((m) => m.gains.length === 0)).toBe(true);
    expect(await stateOf(e, "node-2")).toBe("removed");
    expect(await stateOf(e, "node-3")).toBe("removed");
    expect(await workload.finalProblems()).toEqual([]);
    expect(await placementProblems(e, SHARDS, [], workload.undecided)).toEqual([]);
  });

  it("replaces a SIGKILLed node: its shards are copied again from their surviving replicas", {
    timeout: 120_000,
  }, async () => {
    env = await startMoveEnv({ configured: 3, spare: 1, rf: 2, shards: SHARDS });
    const workload = new MoveWorkload(env);
    await workload.setUp(300);
    const e = env;
    const dead = e.cluster.nodes[1];
    const fresh = e.spare[0];
    if (dead === undefined || fresh === undefined) throw new Error("missing nodes");
    await dead.control.kill();
    await until(async () => (await healthOf(e, dead.id)) === "unreachable");
    const done = await underLoad(e, workload, async () => {
      const replaced = await e.miroir(
        `/_miroir/nodes/${dead.id}/replace`,
        json({ id: fresh.id, address: fresh.address }),
      );
      expect(replaced.status).toBe(201);
    });
    expectComplete(workload);
    expect(done.migration?.phase).toBe("done");
    expect(await stateOf(e, dead.id)).toBe("removed");
    expect(await stateOf(e, fresh.id)).toBe("active");
    expect(await workload.finalProblems()).toEqual([]);
    expect(await placementProblems(e, SHARDS, [dead.id], workload.undecided)).toEqual([]);
  });

  it("goes on from another replica when the source is SIGKILLed mid-copy (RF=2)", {
    timeout: 120_000,
  }, async () => {
    env = await startMoveEnv({
      configured: 3,
      spare: 1,
      rf: 2,
      shards: SHARDS,
      config: {
        rebalancer: { cleanup_grace_ms: 300, lease_ms: 1_000, max_docs_per_sec: 60, page_size: 10 },
      },
    });
    const workload = new MoveWorkload(env);
    await workload.setUp(300);
    const e = env;
    const added = e.spare[0];
    if (added === undefined) throw new Error("missing node");
    let killed: string | undefined;
    let copying: { shard: number; group: number } | undefined;
    const done = await underLoad(e, workload, async () => {
      const answer = await e.miroir(
        "/_miroir/nodes",
        json({ id: added.id, address: added.address, replicaGroup: 0 }),
      );
      expect(answer.status).toBe(201);
      let source: string | undefined;
      await until(async () => {
        const status = await statusOf(e);
        const move = status.migration?.moves.find((m) => m.phase === "copying" && m.copied > 0);
        source = move?.source ?? undefined;
        copying = move;
        return source !== undefined;
      });
      killed = source;
      await e.cluster.nodes.find((node) => node.id === source)?.control.kill();
    });
    expect(killed).toBeDefined();
    expectComplete(workload);
    expect(done.migration?.phase).toBe("done");
    expect(done.migration?.moves.every((m) => m.phase === "verified")).toBe(true);
    const resumed = done.migration?.moves.find(
      (m) => m.shard === copying?.shard && m.group === copying?.group,
    );
    expect(resumed?.source).not.toBe(killed);
    expect(await workload.finalProblems()).toEqual([]);
    expect(await placementProblems(e, SHARDS, [killed as string], workload.undecided)).toEqual([]);
  });

  it("cancels a move before its cut-over: the old owners keep serving and the new node leaves", {
    timeout: 120_000,
  }, async () => {
    env = await startMoveEnv({
      configured: 3,
      spare: 1,
      shards: SHARDS,
      config: {
        rebalancer: { cleanup_grace_ms: 300, lease_ms: 1_000, max_docs_per_sec: 30, page_size: 10 },
      },
    });
    const workload = new MoveWorkload(env);
    await workload.setUp(300);
    const e = env;
    const added = e.spare[0];
    if (added === undefined) throw new Error("missing node");
    const done = await underLoad(e, workload, async () => {
      await e.miroir("/_miroir/nodes", json({ id: added.id, address: added.address }));
      await until(async () => ((await statusOf(e)).migration?.documentsCopied ?? 0) > 0);
      const canceled = await e.miroir("/_miroir/rebalance/cancel", { method: "POST" });
      expect(canceled.status).toBe(202);
    });
    expectComplete(workload);
    expect(done.migration?.phase).toBe("canceled");
    expect(await stateOf(e, added.id)).toBe("removed");
    expect(await workload.finalProblems()).toEqual([]);
    expect(await placementProblems(e, SHARDS, [], workload.undecided)).toEqual([]);
  });
});
