import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assignShards, createTopology, type NodeHealth, type Topology } from "../src/index.js";

function topology(groups: number, perGroup: number, rf: number, shards: number): Topology {
  return createTopology({
    shards,
    replicationFactor: rf,
    replicaGroups: groups,
    nodes: Array.from({ length: groups * perGroup }, (_, index) => ({
      id: `node-${index}`,
      address: `http://127.0.0.1:${7700 + index}`,
      group: Math.floor(index / perGroup),
      state: "active" as const,
    })),
  });
}

const layouts = fc
  .record({
    groups: fc.integer({ min: 1, max: 3 }),
    perGroup: fc.integer({ min: 1, max: 5 }),
    rf: fc.integer({ min: 1, max: 3 }),
    shards: fc.integer({ min: 1, max: 64 }),
    seq: fc.nat(1_000),
  })
  .filter((layout) => layout.rf <= layout.perGroup);

describe("placing the shards of one read", () => {
  it("gives every wanted shard to exactly one node that neither failed nor is unreachable, or reports it", () => {
    fc.assert(
      fc.property(layouts, fc.array(fc.nat(15), { maxLength: 6 }), (layout, down) => {
        const fleet = topology(layout.groups, layout.perGroup, layout.rf, layout.shards);
        const failed = new Set(down.map((index) => `node-${index}`));
        const shards = Array.from({ length: layout.shards }, (_, shard) => shard).filter(
          (shard) => shard % 3 !== 1,
        );
        const assignment = assignShards({
          topology: fleet,
          group: layout.seq % layout.groups,
          seq: layout.seq,
          shards,
          health: new Map<string, NodeHealth>([["node-1", "unreachable"]]),
          failed,
          inGroup: true,
          otherGroups: true,
        });
        const placed = [...assignment.byNode.values()].flat();
        expect([...placed, ...assignment.uncovered].sort((a, b) => a - b)).toEqual(shards);
        for (const nodeId of assignment.byNode.keys()) {
          expect(failed.has(nodeId) || nodeId === "node-1").toBe(false);
        }
      }),
    );
  });

  it("stays inside the query group while the group can cover every shard", () => {
    const fleet = topology(2, 3, 2, 32);
    const assignment = assignShards({
      topology: fleet,
      group: 1,
      seq: 7,
      shards: Array.from({ length: 32 }, (_, shard) => shard),
      health: new Map(),
      failed: new Set(["node-4"]),
      inGroup: true,
      otherGroups: true,
    });
    expect(assignment.uncovered).toEqual([]);
    expect([...assignment.byNode.keys()].sort()).toEqual(["node-3", "node-5"]);
  });

  it("leaves a shard uncovered rather than read it from another group when that is switched off", () => {
    const fleet = topology(2, 2, 1, 8);
    const everyNodeOfGroupZero = new Set(["node-0", "node-1"]);
    const assignment = assignShards({
      topology: fleet,
      group: 0,
      seq: 0,
      shards: [0, 1, 2, 3],
      health: new Map(),
      failed: everyNodeOfGroupZero,
      inGroup: true,
      otherGroups: false,
    });
    expect(assignment.byNode.size).toBe(0);
    expect(assignment.uncovered).toEqual([0, 1, 2, 3]);
  });
});
