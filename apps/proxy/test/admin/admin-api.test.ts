import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseConfig } from "@miroir/config";
import { type Cluster, startCluster } from "@miroir/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createProxy, type RunningProxy } from "../../src/index.js";
import { json } from "../proxy-cluster.js";

const ADMIN = "admin-api-test-admin-key-0123456789";
const HEALTH = { interval_ms: 100, timeout_ms: 80, unhealthy_threshold: 2, recovery_threshold: 2 };

interface TopologyAnswer {
  nodes: {
    id: string;
    state: string;
    health: string | null;
    shardCount: number;
    lastSeen: string | null;
    error: string | null;
  }[];
  coverage: { uncoveredShards: number };
}

async function eventually<T>(
  read: () => Promise<T>,
  holds: (value: T) => boolean,
  withinMs: number,
): Promise<{ value: T; afterMs: number }> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (holds(value)) return { value, afterMs: Date.now() - started };
    if (Date.now() - started > withinMs)
      throw new Error(`not within ${withinMs} ms: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("the admin API", () => {
  let cluster: Cluster;
  let proxy: RunningProxy;
  let url: string;
  let dir: string;
  let input: Record<string, unknown>;
  const admin = (path: string, init: RequestInit = {}) =>
    fetch(`${url}${path}`, { ...init, headers: { ...(init.headers ?? {}), "x-admin-key": ADMIN } });
  const topology = async () => (await (await admin("/_miroir/topology")).json()) as TopologyAnswer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "miroir-admin-"));
    cluster = await startCluster({ nodes: 2, shards: 8 });
    input = {
      ...cluster.config,
      server: { host: "127.0.0.1", log_level: "silent" },
      task_store: { backend: "sqlite", path: join(dir, "state.db") },
      admin: { api_key: ADMIN },
      health: HEALTH,
      // Node changes move no data until `POST /_miroir/rebalance` asks.
      rebalancer: { enabled: false, lease_ms: 1_000, cleanup_grace_ms: 0 },
    };
    proxy = await createProxy(parseConfig(input));
    ({ url } = await proxy.listen(0));
  }, 30_000);

  afterAll(async () => {
    await proxy?.close();
    await cluster?.stop();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it("needs the admin key, as a bearer token or X-Admin-Key", async () => {
    const missing = await fetch(`${url}/_miroir/shards`);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ code: "miroir_invalid_auth", type: "auth" });
    const wrong = await fetch(`${url}/_miroir/shards`, {
      headers: { authorization: "Bearer nope" },
    });
    expect(wrong.status).toBe(401);
    const bearer = await fetch(`${url}/_miroir/shards`, {
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    expect(bearer.status).toBe(200);
  });

  it("lists every node with its state, health, shard count and last probe", async () => {
    const { value } = await eventually(
      topology,
      (t) => t.nodes.every((node) => node.health === "healthy"),
      5_000,
    );
    expect(value.nodes.map((node) => node.id)).toEqual(["node-0", "node-1"]);
    expect(value.nodes.reduce((sum, node) => sum + node.shardCount, 0)).toBe(8);
    for (const node of value.nodes) {
      expect(node.state).toBe("active");
      expect(node.error).toBeNull();
      expect(Date.parse(node.lastSeen ?? "")).toBeGreaterThan(Date.now() - 5_000);
    }
  });

  it("maps every shard to one node of the group", async () => {
    const { shards } = (await (await admin("/_miroir/shards")).json()) as {
      shards: { shard: number; groups: { group: number; nodes: string[] }[] }[];
    };
    expect(shards.map((entry) => entry.shard)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    for (const entry of shards) expect(entry.groups[0]?.nodes).toHaveLength(1);
  });

  it("reports a killed node within the unhealthy threshold, is unready meanwhile and ready after recovery", async () => {
    expect((await fetch(`${url}/_miroir/ready`)).status).toBe(200);
    const victim = cluster.nodes[1];
    if (victim?.control === undefined) throw new Error("cluster nodes have a control");
    await victim.control.kill();
    const threshold = HEALTH.unhealthy_threshold * HEALTH.interval_ms + HEALTH.timeout_ms;
    const seen = await eventually(
      topology,
      (t) => t.nodes.find((node) => node.id === "node-1")?.health === "unreachable",
      threshold + 2_000,
    );
    expect(seen.value.nodes.find((node) => node.id === "node-1")?.error).toBeTruthy();
    expect(seen.value.coverage.uncoveredShards).toBeGreaterThan(0);
    const unready = await fetch(`${url}/_miroir/ready`);
    expect(unready.status).toBe(503);
    expect(await unready.json()).toMatchObject({ code: "miroir_shard_unavailable" });

    await victim.control.restart();
    await eventually(
      async () => (await fetch(`${url}/_miroir/ready`)).status,
      (status) => status === 200,
      HEALTH.recovery_threshold * HEALTH.interval_ms + 3_000,
    );
    expect((await topology()).nodes.every((node) => node.health === "healthy")).toBe(true);
  });

  it("adds, drains and removes nodes, refuses illegal changes, and keeps the changes across a restart", async () => {
    const added = await admin(
      "/_miroir/nodes",
      json({ id: "node-9", address: "http://127.0.0.1:9", replicaGroup: 0 }),
    );
    expect(added.status).toBe(201);
    const afterAdd = (await added.json()) as TopologyAnswer;
    expect(afterAdd.nodes.find((node) => node.id === "node-9")?.state).toBe("joining");

    const twice = await admin(
      "/_miroir/nodes",
      json({ id: "node-9", address: "http://127.0.0.1:9", replicaGroup: 0 }),
    );
    expect(twice.status).toBe(400);
    const badGroup = await admin(
      "/_miroir/nodes",
      json({ id: "node-8", address: "http://127.0.0.1:8", replicaGroup: 4 }),
    );
    expect(badGroup.status).toBe(400);

    const activeRemoval = await admin("/_miroir/nodes/node-0", { method: "DELETE" });
    expect(activeRemoval.status).toBe(409);
    expect(await activeRemoval.json()).toMatchObject({ code: "miroir_illegal_transition" });
    const unknown = await admin("/_miroir/nodes/node-7/drain", { method: "POST" });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: "miroir_node_not_found" });

    expect((await admin("/_miroir/nodes/node-1/drain", { method: "POST" })).status).toBe(200);
    expect((await admin("/_miroir/nodes/node-9", { method: "DELETE" })).status).toBe(200);
    const states = (t: TopologyAnswer) =>
      Object.fromEntries(t.nodes.map((node) => [node.id, node.state]));
    const expected = { "node-0": "active", "node-1": "draining", "node-9": "removed" };
    expect(states(await topology())).toEqual(expected);

    await proxy.close();
    proxy = await createProxy(parseConfig(input));
    ({ url } = await proxy.listen(0));
    expect(states(await topology())).toEqual(expected);
  });

  it("lists the pending moves, then runs them on demand: the drained node leaves once its shards moved", async () => {
    const status = (await (await admin("/_miroir/rebalance/status")).json()) as {
      status: string;
      rebalancerAvailable: boolean;
      pendingMoves: { shard: number; from: string[]; to: string[] }[];
    };
    expect(status.status).toBe("idle");
    expect(status.rebalancerAvailable).toBe(true);
    // node-1 drains: each of its shards must move to node-0.
    expect(status.pendingMoves.length).toBeGreaterThan(0);
    for (const move of status.pendingMoves) {
      expect(move.from).toEqual(["node-1"]);
      expect(move.to).toEqual(["node-0"]);
    }
    const stillHolding = await admin("/_miroir/nodes/node-1", { method: "DELETE" });
    expect(stillHolding.status).toBe(409);
    expect(await stillHolding.json()).toMatchObject({ code: "miroir_illegal_transition" });

    const triggered = await admin("/_miroir/rebalance", { method: "POST" });
    expect(triggered.status).toBe(202);
    expect(await triggered.json()).toMatchObject({ status: "running", started: true });
    const done = await eventually(
      async () =>
        (await (await admin("/_miroir/rebalance/status")).json()) as {
          status: string;
          migration: { phase: string; shardsDone: number; shardsTotal: number } | null;
        },
      (answer) => answer.status === "idle",
      30_000,
    );
    expect(done.value.migration).toMatchObject({ phase: "done" });
    expect(done.value.migration?.shardsDone).toBe(status.pendingMoves.length);
    expect((await topology()).nodes.find((node) => node.id === "node-1")?.state).toBe("removed");
    // Removing a node that already left answers the topology again.
    expect((await admin("/_miroir/nodes/node-1", { method: "DELETE" })).status).toBe(200);
    const idle = await admin("/_miroir/rebalance/cancel", { method: "POST" });
    expect(idle.status).toBe(409);
  });
});
