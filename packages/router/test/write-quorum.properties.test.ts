import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  createTopology,
  evaluateQuorum,
  findNode,
  quorumSize,
  type Topology,
  writeTargets,
} from "../src/index.js";
import { topologies } from "./topology-arbitrary.js";

const RUNS = { numRuns: 60 };

/** Two groups of three nodes, RF 3: every shard on every node of both groups. */
const sixNodes = createTopology({
  shards: 4,
  replicationFactor: 3,
  replicaGroups: 2,
  nodes: Array.from({ length: 6 }, (_, index) => ({
    id: `n${index}`,
    address: `http://n${index}:7700`,
    group: index < 3 ? 0 : 1,
    state: "active" as const,
  })),
});
const allShards = (topology: Topology) => Array.from({ length: topology.shards }, (_, s) => s);

describe("write quorum", () => {
  it("needs a majority of RF in a group: 1 of 1, 2 of 2, 2 of 3, 3 of 4", () => {
    expect([1, 2, 3, 4].map(quorumSize)).toEqual([1, 2, 2, 3]);
  });

  it("accepts a write with one replica of a group down, and says nothing is degraded", () => {
    const acks = new Set(["n0", "n1", "n3", "n4", "n5"]);
    expect(evaluateQuorum(sixNodes, allShards(sixNodes), acks)).toEqual({
      reached: true,
      lostShards: [],
      degradedGroups: [],
      degradedShards: [],
    });
  });

  it("accepts a write with two replicas of a group down, naming that group and the shards", () => {
    const outcome = evaluateQuorum(sixNodes, [1, 3], new Set(["n0", "n3", "n4", "n5"]));
    expect(outcome).toEqual({
      reached: true,
      lostShards: [],
      degradedGroups: [0],
      degradedShards: [1, 3],
    });
  });

  it("refuses a write whose shard reached quorum in no group", () => {
    const outcome = evaluateQuorum(sixNodes, [2], new Set(["n0", "n3"]));
    expect(outcome).toMatchObject({ reached: false, lostShards: [2], degradedGroups: [0, 1] });
  });

  it("decides every shard by the groups of its write targets, over random topologies", () => {
    fc.assert(
      fc.property(
        topologies({ shards: { min: 1, max: 64 } }),
        fc.func(fc.boolean()),
        (topology, acknowledges) => {
          const acked = new Set(topology.nodes.map((node) => node.id).filter(acknowledges));
          const shards = allShards(topology);
          const outcome = evaluateQuorum(topology, shards, acked);
          for (const shard of shards) {
            const groups = new Map<number, { targets: number; acks: number }>();
            for (const id of writeTargets(shard, topology)) {
              const group = findNode(topology, id).group;
              const count = groups.get(group) ?? { targets: 0, acks: 0 };
              count.targets++;
              if (acked.has(id)) count.acks++;
              groups.set(group, count);
            }
            const needed = quorumSize(topology.replicationFactor);
            const safe = [...groups.values()].some(
              (count) => count.acks >= Math.min(needed, count.targets),
            );
            expect(outcome.lostShards.includes(shard)).toBe(!safe);
            const missed = [...groups.values()].some(
              (count) => count.acks < Math.min(needed, count.targets),
            );
            expect(outcome.degradedShards.includes(shard)).toBe(missed);
          }
          expect(outcome.reached).toBe(outcome.lostShards.length === 0);
          expect(outcome.lostShards.every((shard) => outcome.degradedShards.includes(shard))).toBe(
            true,
          );
        },
      ),
      RUNS,
    );
  });

  it("accepts every write every target acknowledged, degrading nothing", () => {
    fc.assert(
      fc.property(topologies({ shards: { min: 1, max: 64 } }), (topology) => {
        const everyone = new Set(topology.nodes.map((node) => node.id));
        expect(evaluateQuorum(topology, allShards(topology), everyone)).toEqual({
          reached: true,
          lostShards: [],
          degradedGroups: [],
          degradedShards: [],
        });
      }),
      RUNS,
    );
  });
});
