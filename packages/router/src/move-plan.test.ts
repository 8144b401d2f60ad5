import { describe, expect, it } from "vitest";
import { InvalidTopologyError } from "./errors.js";
import { pendingMoves, planMove } from "./move-plan.js";
import { shardRoute, writeTargets } from "./routing-table.js";
import { shardsByNode } from "./shard-ownership.js";
import {
  createTopology,
  type Topology,
  withJoiningNode,
  withNodeState,
  withReplicaGroup,
} from "./topology.js";

const base: Topology = createTopology({
  shards: 64,
  replicationFactor: 1,
  replicaGroups: 1,
  nodes: ["a", "b", "c"].map((id) => ({
    id,
    address: `http://${id}:7700`,
    group: 0,
    state: "active" as const,
  })),
});

describe("move plans", () => {
  it("plans nothing for an unchanged fleet", () => {
    expect(planMove(base, base)).toEqual([]);
    expect(pendingMoves(base)).toEqual([]);
  });

  it("dual-writes to a joining node, lists its pending copies, and settles when it is active", () => {
    const joining = withJoiningNode(base, { id: "d", address: "http://d:7700", group: 0 });
    const pending = pendingMoves(joining);
    expect(pending.length).toBeGreaterThan(0);
    expect(pending).toEqual(planMove(base, joining));
    for (const move of pending) {
      expect(move.gains).toEqual(["d"]);
      expect(move.from).toEqual(shardRoute(base, move.shard).target[0]);
      expect(writeTargets(move.shard, joining)).toEqual([...move.from, "d"]);
    }
    expect(pendingMoves(withNodeState(joining, "d", "active"))).toEqual([]);
  });

  it("keeps a draining node in the write and read path until its shards have moved", () => {
    const draining = withNodeState(base, "b", "draining");
    const pending = pendingMoves(draining);
    for (const move of pending) {
      expect(move.losses).toEqual(["b"]);
      expect(writeTargets(move.shard, draining)).toContain("b");
      expect(writeTargets(move.shard, draining)).toContain(move.gains[0]);
    }
    const removed = withNodeState(draining, "b", "removed");
    expect(pendingMoves(removed)).toEqual([]);
    expect(planMove(base, removed)).toEqual(pending);
  });

  it("fills a new replica group with every shard and leaves the old group alone", () => {
    const grown = withJoiningNode(withReplicaGroup(base), {
      id: "x",
      address: "http://x:7700",
      group: 1,
    });
    const moves = planMove(base, grown);
    expect(moves.length).toBe(64);
    expect(moves.every((move) => move.group === 1 && move.gains[0] === "x")).toBe(true);
  });

  it("refuses to plan across different shard counts", () => {
    expect(() => planMove(base, createTopology({ ...base, shards: 32 }))).toThrow(
      InvalidTopologyError,
    );
  });
});

describe("shardsByNode", () => {
  it("lists each node's owned and target shards, covering every shard RF times", () => {
    const joining = withJoiningNode(base, { id: "d", address: "http://d:7700", group: 0 });
    const rows = shardsByNode(joining);
    expect(rows.map((row) => row.id)).toEqual(["a", "b", "c", "d"]);
    expect(rows.flatMap((row) => row.owned).sort((x, y) => x - y)).toEqual(
      Array.from({ length: 64 }, (_, shard) => shard),
    );
    expect(rows.flatMap((row) => row.target).length).toBe(64);
    const d = rows.find((row) => row.id === "d");
    expect(d?.owned).toEqual([]);
    expect(d?.target).toEqual(pendingMoves(joining).map((move) => move.shard));
  });

  it("refuses a shard outside the topology", () => {
    expect(() => writeTargets(64, base)).toThrow(InvalidTopologyError);
    expect(() => writeTargets(-1, base)).toThrow(InvalidTopologyError);
  });
});
