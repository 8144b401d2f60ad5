import { planMove, withJoiningNode } from "@miroir/router";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createFleet, type FleetSpec } from "./fleet.js";
import { movedByPlan, simulateNodeAddition, simulateNodeRemoval } from "./movement.js";
import { seededRandom } from "./random.js";

/**
 * For each group size, enough fleets that they hold about 5 000 shard copies or more: the
 * expected movement of one fleet then strays from the fair share by about
 * 1/√(fleets × S × RF) ≤ 1.4 %, so the 5 % bound sits beyond three standard deviations.
 */
const CASES = [
  { nodes: 10, replicationFactor: 2, shards: 256, fleets: 12 },
  { nodes: 30, replicationFactor: 1, shards: 1_024, fleets: 6 },
  { nodes: 100, replicationFactor: 3, shards: 1_024, fleets: 2 },
  { nodes: 300, replicationFactor: 1, shards: 2_048, fleets: 3 },
  { nodes: 1_000, replicationFactor: 2, shards: 1_024, fleets: 3 },
] as const;

describe("adding one node to a group of N", () => {
  for (const { fleets, ...shape } of CASES) {
    it(`copies the newcomer's fair share D × RF / (N + 1), within 5 %: N = ${shape.nodes}, RF ${shape.replicationFactor}, S ${shape.shards}`, () => {
      let moved = 0;
      let minimum = 0;
      for (let seed = 1; seed <= fleets; seed++) {
        const fleet = createFleet({ ...shape, replicaGroups: 1, documents: 10_000_000, seed });
        const addition = simulateNodeAddition(fleet, {
          group: 0,
          trials: 1,
          random: seededRandom(seed),
          withPlan: false,
        });
        expect(addition.minimumDocuments).toBeCloseTo(
          (10_000_000 * shape.replicationFactor) / (shape.nodes + 1),
          6,
        );
        expect(addition.ratio).toBeCloseTo(
          addition.expectedDocuments / addition.minimumDocuments,
          12,
        );
        moved += addition.expectedDocuments;
        minimum += addition.minimumDocuments;
      }
      expect(Math.abs(moved / minimum - 1)).toBeLessThan(0.05);
    });
  }

  it("moves, for newcomers with random ids, what the expectation over all ids says", () => {
    const fleet = createFleet({
      nodes: 100,
      replicaGroups: 2,
      replicationFactor: 1,
      shards: 1_024,
      documents: 1_000_000,
      seed: 11,
    });
    // 600 trials of ~20 moved shards each: the trial mean's standard error is about 1.3 %.
    const addition = simulateNodeAddition(fleet, {
      group: 1,
      trials: 600,
      random: seededRandom(12),
      withPlan: false,
    });
    expect(Math.abs(addition.documentsMoved.mean / addition.expectedDocuments - 1)).toBeLessThan(
      0.06,
    );
  });

  it("moves exactly what the router's planMove plans for the same newcomer", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 1, max: 200 }),
        fc.nat(),
        (groups, rf, extra, shards, seed) => {
          const spec: FleetSpec = {
            nodes: groups * rf + extra,
            replicaGroups: groups,
            replicationFactor: rf,
            shards,
            documents: 5_000,
            seed,
          };
          const fleet = createFleet(spec);
          const group = seed % groups;
          const addition = simulateNodeAddition(fleet, {
            group,
            trials: 1,
            random: seededRandom(seed),
            withPlan: true,
          });
          const example = addition.example;
          if (example === null) throw new Error("a planned example was asked for");
          expect(addition.documentsMoved.mean).toBe(example.documentsMoved);
          expect(addition.shardCopiesMoved.mean).toBe(example.shardCopiesMoved);
          // The plan only ever adds copies to the newcomer, in its own group.
          const after = withJoiningNode(fleet.topology, {
            id: example.node,
            address: "http://new:7700",
            group,
          });
          for (const move of planMove(fleet.topology, after)) {
            expect(move.group).toBe(group);
            expect(move.gains).toEqual([example.node]);
            expect(move.losses).toHaveLength(1);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it("reports the spread of the trials and is the same for the same seed", () => {
    const fleet = createFleet({
      nodes: 12,
      replicaGroups: 2,
      replicationFactor: 1,
      shards: 64,
      documents: 1_000,
      seed: 5,
    });
    const run = () =>
      simulateNodeAddition(fleet, {
        group: 1,
        trials: 50,
        random: seededRandom(9),
        withPlan: false,
      });
    const addition = run();
    expect(addition).toEqual(run());
    expect(addition.group).toBe(1);
    expect(addition.nodesBefore).toBe(6);
    expect(addition.trials).toBe(50);
    expect(addition.example).toBeNull();
    expect(addition.documentsMoved.max).toBeGreaterThanOrEqual(addition.documentsMoved.mean);
    expect(addition.shardCopiesMoved.max).toBeGreaterThanOrEqual(addition.shardCopiesMoved.mean);
  });
});

describe("removing a node", () => {
  it("moves exactly the drained node's shards: planMove agrees with its load", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 200 }),
        fc.nat(),
        (groups, rf, extra, shards, seed) => {
          const fleet = createFleet({
            nodes: groups * (rf + extra),
            replicaGroups: groups,
            replicationFactor: rf,
            shards,
            documents: 5_000,
            seed,
          });
          const removal = simulateNodeRemoval(fleet, { group: 0, withPlan: true });
          expect(removal.example).not.toBeNull();
          expect(removal.ratio).toBe(1);
          expect(removal.trials).toBe(rf + extra);
          // Every shard copy of the group is held by exactly one node.
          expect(removal.shardCopiesMoved.mean * removal.trials).toBeCloseTo(shards * rf, 9);
          expect(removal.minimumDocuments).toBeCloseTo((5_000 * rf) / (rf + extra), 6);
          expect(removal.expectedDocuments).toBe(removal.minimumDocuments);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("plans nothing when the group has no spare node to drain", () => {
    const fleet = createFleet({
      nodes: 2,
      replicaGroups: 1,
      replicationFactor: 2,
      shards: 8,
      documents: 100,
      seed: 1,
    });
    const removal = simulateNodeRemoval(fleet, { group: 0, withPlan: true });
    expect(removal.example).toBeNull();
    expect(removal.ratio).toBe(1);
  });

  it("counts one copy per gaining node in a plan", () => {
    const moves = [
      { shard: 0, group: 0, from: ["a"], to: ["b", "c"], gains: ["b", "c"], losses: [] },
      { shard: 2, group: 1, from: ["d"], to: ["e"], gains: ["e"], losses: ["d"] },
    ];
    expect(movedByPlan(moves, [10, 20, 30])).toEqual({ shardCopies: 3, documents: 50 });
  });
});
