import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  coveringSet,
  createTopology,
  nodesOfGroup,
  placement,
  planMove,
  queryGroup,
  shardOf,
  shardRoute,
  type Topology,
  targetPlacement,
  withJoiningNode,
  withNodeState,
  writeTargets,
} from "../src/index.js";
import { nodeIds, topologies } from "./topology-arbitrary.js";

const RUNS = { numRuns: 40 };

/** A structurally equal copy, so caches cannot make two answers agree. */
function copyOf(topology: Topology): Topology {
  return createTopology(JSON.parse(JSON.stringify(topology)));
}

describe("placement properties over random topologies", () => {
  it("answers identically for equal topologies, whatever the node order", () => {
    fc.assert(
      fc.property(topologies({ shards: { min: 1, max: 128 } }), (topology) => {
        const shuffled = createTopology({ ...topology, nodes: [...topology.nodes].reverse() });
        for (let shard = 0; shard < topology.shards; shard++) {
          expect(writeTargets(shard, copyOf(topology))).toEqual(writeTargets(shard, topology));
          expect([...writeTargets(shard, shuffled)].sort()).toEqual(
            [...writeTargets(shard, topology)].sort(),
          );
        }
      }),
      RUNS,
    );
  });

  it("keeps every shard of a document key in [0, S) and equal for 42 and '42'", () => {
    fc.assert(
      fc.property(fc.nat({ max: 2 ** 40 }), fc.integer({ min: 1, max: 512 }), (key, shards) => {
        const shard = shardOf(key, shards);
        expect(shard).toBeGreaterThanOrEqual(0);
        expect(shard).toBeLessThan(shards);
        expect(shardOf(String(key), shards)).toBe(shard);
      }),
      { numRuns: 300 },
    );
  });

  it("writes every shard to exactly RG × RF distinct nodes, RF per group, when groups are full", () => {
    fc.assert(
      fc.property(topologies({ fullGroups: true, shards: { min: 1, max: 256 } }), (topology) => {
        const groupOf = new Map(topology.nodes.map((node) => [node.id, node.group]));
        for (let shard = 0; shard < topology.shards; shard++) {
          const targets = writeTargets(shard, topology);
          expect(new Set(targets).size).toBe(targets.length);
          expect(targets.length).toBe(topology.replicaGroups * topology.replicationFactor);
          for (let group = 0; group < topology.replicaGroups; group++) {
            const inGroup = targets.filter((id) => groupOf.get(id) === group);
            expect(inGroup).toEqual(
              placement(shard, nodesOfGroup(topology, group), topology.replicationFactor),
            );
          }
        }
      }),
      RUNS,
    );
  });

  it("covers every shard exactly once with healthy readable owners of the query group", () => {
    fc.assert(
      fc.property(
        topologies({ shards: { min: 1, max: 256 } }),
        fc.nat(),
        fc.array(fc.nat(), { maxLength: 8 }),
        (topology, seq, downPicks) => {
          const down = new Set(
            downPicks.map((pick) => topology.nodes[pick % topology.nodes.length]?.id as string),
          );
          const health = new Map([...down].map((id) => [id, "unreachable" as const]));
          const group = queryGroup(seq, topology);
          const { byNode, holes } = coveringSet(topology, group, seq, health);
          const covered = [...byNode.values()].flat();
          expect([...covered, ...holes].sort((a, b) => a - b)).toEqual(
            Array.from({ length: topology.shards }, (_, shard) => shard),
          );
          for (const [node, shards] of byNode) {
            expect(down.has(node)).toBe(false);
            for (const shard of shards) {
              expect(shardRoute(topology, shard).serving[group]).toContain(node);
            }
          }
          for (const shard of holes) {
            const owners = shardRoute(topology, shard).serving[group] ?? [];
            expect(owners.every((id) => down.has(id))).toBe(true);
          }
        },
      ),
      RUNS,
    );
  });

  it("moves, when a node joins, only the shards whose top-RF set now holds it, only in its group", () => {
    fc.assert(
      fc.property(
        topologies({ shards: { min: 1, max: 256 } }),
        nodeIds(1, 1),
        fc.nat(),
        (before, [freshId], groupPick) => {
          const id = `new-${freshId}`;
          const group = groupPick % before.replicaGroups;
          const rf = before.replicationFactor;
          const peers = nodesOfGroup(before, group).length;
          const joined = withJoiningNode(before, { id, address: "http://new:7700", group });
          const after = withNodeState(joined, id, "active");
          const moves = planMove(before, after);
          expect(planMove(before, joined)).toEqual(moves);
          const expected = [];
          for (let shard = 0; shard < before.shards; shard++) {
            if (targetPlacement(shard, nodesOfGroup(after, group), rf).includes(id)) {
              expected.push(shard);
            }
          }
          expect(moves.map((move) => move.shard)).toEqual(expected);
          for (const move of moves) {
            expect(move.group).toBe(group);
            expect(move.gains).toEqual([id]);
            expect(move.losses.length).toBe(peers >= rf ? 1 : 0);
          }
        },
      ),
      RUNS,
    );
  });

  it("moves, when a node drains, only the shards it held, to the other nodes of its group", () => {
    fc.assert(
      fc.property(topologies({ shards: { min: 1, max: 256 } }), fc.nat(), (before, pick) => {
        const leaving = before.nodes[pick % before.nodes.length] as Topology["nodes"][number];
        const rf = before.replicationFactor;
        const peers = nodesOfGroup(before, leaving.group).length - 1;
        const after = withNodeState(before, leaving.id, "draining");
        const moves = planMove(before, after);
        const held = [];
        for (let shard = 0; shard < before.shards; shard++) {
          if (shardRoute(before, shard).target[leaving.group]?.includes(leaving.id)) {
            held.push(shard);
          }
        }
        expect(moves.map((move) => move.shard)).toEqual(held);
        for (const move of moves) {
          expect(move.group).toBe(leaving.group);
          expect(move.losses).toEqual([leaving.id]);
          expect(move.gains.length).toBe(peers >= rf ? 1 : 0);
        }
      }),
      RUNS,
    );
  });
});

describe("placement balance", () => {
  // Each shard's RF owners in a group of Ng nodes are a uniform draw without
  // replacement, so a node's share is Binomial(S, p = RF/Ng): mean S·p, variance
  // S·p·(1−p). Over many random id sets the observed variance must match it, and no node
  // may ever stray beyond 6 standard deviations (odds ~1e-9 per node).
  const cases = [
    { shards: 256, nodes: 8, rf: 1 },
    { shards: 512, nodes: 5, rf: 2 },
    { shards: 64, nodes: 16, rf: 3 },
  ];
  for (const { shards, nodes, rf } of cases) {
    it(`spreads ${shards} shards over ${nodes} nodes at RF ${rf} within the binomial bound`, () => {
      const p = rf / nodes;
      const mean = shards * p;
      const sigma = Math.sqrt(shards * p * (1 - p));
      const trials = 60;
      let squares = 0;
      for (let trial = 0; trial < trials; trial++) {
        const topology = createTopology({
          shards,
          replicationFactor: rf,
          replicaGroups: 1,
          nodes: Array.from({ length: nodes }, () => ({
            id: crypto.randomUUID(),
            address: "http://node:7700",
            group: 0,
            state: "active" as const,
          })),
        });
        const counts = new Map(topology.nodes.map((node) => [node.id, 0]));
        for (let shard = 0; shard < shards; shard++) {
          for (const id of writeTargets(shard, topology)) {
            counts.set(id, (counts.get(id) ?? 0) + 1);
          }
        }
        for (const count of counts.values()) {
          expect(Math.abs(count - mean)).toBeLessThanOrEqual(6 * sigma);
          squares += (count - mean) ** 2;
        }
      }
      const variance = squares / (trials * nodes);
      expect(variance / sigma ** 2).toBeGreaterThan(0.6);
      expect(variance / sigma ** 2).toBeLessThan(1.4);
    });
  }
});
