import { describe, expect, it } from "vitest";
import { coveringSet, fillHoles } from "./covering-set.js";
import { InvalidTopologyError, NoReadableGroupError } from "./errors.js";
import type { NodeHealth } from "./node-health.js";
import { queryGroup } from "./query-group.js";
import { readableGroups, shardRoute } from "./routing-table.js";
import { createTopology, type Topology, withNodeState } from "./topology.js";

// Two groups of three nodes, RF 2, 32 shards.
const fleet: Topology = createTopology({
  shards: 32,
  replicationFactor: 2,
  replicaGroups: 2,
  nodes: ["g0-a", "g0-b", "g0-c", "g1-a", "g1-b", "g1-c"].map((id) => ({
    id,
    address: `http://${id}:7700`,
    group: id.startsWith("g0") ? 0 : 1,
    state: "active" as const,
  })),
});

const allHealthy = new Map<string, NodeHealth>();

describe("queryGroup", () => {
  it("round-robins over the groups that serve reads", () => {
    expect([0, 1, 2, 3].map((seq) => queryGroup(seq, fleet))).toEqual([0, 1, 0, 1]);
    let joiningGroup = fleet;
    for (const id of ["g0-a", "g0-b", "g0-c"]) {
      joiningGroup = withNodeState(joiningGroup, id, "failed");
      joiningGroup = withNodeState(joiningGroup, id, "joining");
    }
    expect(readableGroups(joiningGroup)).toEqual([1]);
    expect([0, 1, 2].map((seq) => queryGroup(seq, joiningGroup))).toEqual([1, 1, 1]);
  });

  it("fails with a typed error when no group can serve reads", () => {
    let dead = fleet;
    for (const node of fleet.nodes) {
      dead = withNodeState(dead, node.id, "failed");
    }
    expect(() => queryGroup(0, dead)).toThrow(NoReadableGroupError);
  });
});

describe("coveringSet", () => {
  it("rotates each shard among its replicas by seq", () => {
    const first = coveringSet(fleet, 0, 0, allHealthy);
    const second = coveringSet(fleet, 0, 1, allHealthy);
    const third = coveringSet(fleet, 0, 2, allHealthy);
    const pick = (set: typeof first, shard: number) =>
      [...set.byNode].find(([, shards]) => shards.includes(shard))?.[0];
    for (let shard = 0; shard < fleet.shards; shard++) {
      const owners = shardRoute(fleet, shard).serving[0];
      expect([pick(first, shard), pick(second, shard)]).toEqual(owners);
      expect(pick(third, shard)).toBe(owners?.[0]);
    }
    expect(first.holes).toEqual([]);
  });

  it("prefers healthy replicas, falls back to degraded ones, and never uses unreachable ones", () => {
    const health = new Map<string, NodeHealth>([
      ["g0-a", "unreachable"],
      ["g0-b", "degraded"],
    ]);
    for (const seq of [0, 1]) {
      const { byNode, holes } = coveringSet(fleet, 0, seq, health);
      expect(holes).toEqual([]);
      expect(byNode.has("g0-a")).toBe(false);
      for (const [node, shards] of byNode) {
        for (const shard of shards) {
          const owners = shardRoute(fleet, shard).serving[0] ?? [];
          if (node === "g0-b") {
            expect(owners).toContain("g0-b");
            expect(owners).not.toContain("g0-c");
          }
        }
      }
    }
  });

  it("reports shards with no usable replica as holes and fills them from the other group", () => {
    const health = new Map<string, NodeHealth>([
      ["g0-a", "unreachable"],
      ["g0-b", "unreachable"],
    ]);
    const { byNode, holes } = coveringSet(fleet, 0, 7, health);
    const expectedHoles = [];
    for (let shard = 0; shard < fleet.shards; shard++) {
      if (!shardRoute(fleet, shard).serving[0]?.includes("g0-c")) {
        expectedHoles.push(shard);
      }
    }
    expect(holes).toEqual(expectedHoles);
    expect(holes.length).toBeGreaterThan(0);
    expect([...byNode.keys()]).toEqual(["g0-c"]);

    const filled = fillHoles(fleet, holes, 0, 7, health);
    expect(filled.holes).toEqual([]);
    expect([...filled.byNode.values()].flat().sort((a, b) => a - b)).toEqual(holes);
    for (const node of filled.byNode.keys()) {
      expect(node.startsWith("g1")).toBe(true);
    }
  });

  it("leaves holes that no group can fill", () => {
    const health = new Map<string, NodeHealth>(
      fleet.nodes.map((node) => [node.id, "unreachable" as const]),
    );
    const { holes } = coveringSet(fleet, 1, 0, health);
    expect(holes.length).toBe(fleet.shards);
    expect(fillHoles(fleet, holes, 1, 0, health).holes).toEqual(holes);
    expect(
      fillHoles(createTopology({ ...fleet, replicaGroups: 1, nodes: [] }), [3], 0, 0, allHealthy)
        .holes,
    ).toEqual([3]);
  });

  it("refuses an unknown group", () => {
    expect(() => coveringSet(fleet, 2, 0, allHealthy)).toThrow(InvalidTopologyError);
  });

  it("reads from draining owners but not from joining nodes", () => {
    const moving = withNodeState(fleet, "g0-a", "draining");
    const { byNode } = coveringSet(moving, 0, 0, allHealthy);
    expect(byNode.has("g0-a")).toBe(true);
    const joining = withNodeState(withNodeState(fleet, "g0-a", "failed"), "g0-a", "joining");
    expect(coveringSet(joining, 0, 0, allHealthy).byNode.has("g0-a")).toBe(false);
  });
});
