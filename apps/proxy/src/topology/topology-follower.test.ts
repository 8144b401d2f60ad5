import { type Topology, topologyFromConfig } from "@miroir/router";
import { openTaskStore, type TaskStore } from "@miroir/taskstore";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createProxyMetrics } from "../observability/index.js";
import { startTopologyFollower } from "./topology-follower.js";
import { applyTopologyChange, recordTopologyChange } from "./topology-journal.js";

const configured = topologyFromConfig(
  [
    { id: "a", address: "http://a", replica_group: 0 },
    { id: "b", address: "http://b", replica_group: 0 },
  ],
  { shards: 8, replication_factor: 1, replica_groups: 1 },
);
const joinC = { kind: "add", id: "c", address: "http://c", group: 0 } as const;

describe("the topology follower", () => {
  let store: TaskStore;
  let current: Topology;
  let applied: Topology[];
  beforeEach(async () => {
    store = await openTaskStore({ backend: "sqlite", path: ":memory:" });
    current = configured;
    applied = [];
  });
  afterEach(async () => {
    await store.close();
  });

  const follow = (intervalMs = 60_000) =>
    startTopologyFollower({
      store,
      configured,
      current: () => current,
      apply: (topology) => {
        current = topology;
        applied.push(topology);
      },
      intervalMs,
      duties: { logger: pino({ level: "silent" }), metrics: createProxyMetrics() },
    });

  it("applies a change another process recorded, once", async () => {
    const follower = follow();
    await follower.check();
    expect(applied).toEqual([]);
    await recordTopologyChange(store, joinC);
    await follower.check();
    await follower.check();
    expect(applied.map((topology) => topology.nodes.map((node) => node.id))).toEqual([
      ["a", "b", "c"],
    ]);
    expect(current.nodes.find((node) => node.id === "c")?.state).toBe("joining");
    await follower.stop();
  });

  it("leaves alone a change this process already applied", async () => {
    const follower = follow();
    current = applyTopologyChange(current, joinC);
    await recordTopologyChange(store, joinC);
    await follower.check();
    expect(applied).toEqual([]);
    await follower.stop();
  });

  it("checks on its own every interval until stopped", async () => {
    const follower = follow(20);
    await recordTopologyChange(store, joinC);
    for (let attempt = 0; attempt < 100 && applied.length === 0; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await follower.stop();
    expect(applied).toHaveLength(1);
  });
});
