import { describe, expect, it } from "vitest";
import { expectedMaxOverMean, measureBalance, shardsForImbalance } from "./balance.js";
import { createFleet } from "./fleet.js";

/**
 * E[max]/mean of the exact multinomial (S balls into n bins), for checking the closed
 * form's independence approximation: P(max ≤ m) = S!/n^S · [x^S] (Σ_{j≤m} x^j/j!)^n.
 */
function exactMultinomialMaxOverMean(nodes: number, shards: number): number {
  let logFactorial = 0;
  const inverseFactorials = [1];
  for (let j = 1; j <= shards; j++)
    inverseFactorials.push((inverseFactorials[j - 1] as number) / j);
  for (let j = 2; j <= shards; j++) logFactorial += Math.log(j);
  let expectedMax = 0;
  for (let m = 0; m < shards; m++) {
    let power = [1];
    for (let i = 0; i < nodes; i++) {
      const next = new Array<number>(Math.min(shards, power.length + m) + 1).fill(0);
      power.forEach((a, k) => {
        for (let j = 0; j <= m && k + j <= shards; j++) {
          next[k + j] = (next[k + j] as number) + a * (inverseFactorials[j] as number);
        }
      });
      power = next;
    }
    const coefficient = power[shards] ?? 0;
    const atMost =
      coefficient === 0
        ? 0
        : Math.exp(Math.log(coefficient) + logFactorial - shards * Math.log(nodes));
    expectedMax += 1 - atMost;
    if (1 - atMost < 1e-12) break;
  }
  return expectedMax / (shards / nodes);
}

describe("the balls-into-bins expectation of max/mean load", () => {
  it("is within 3 % of the exact multinomial, and closer as the fleet grows", () => {
    for (const [nodes, shards] of [
      [10, 64],
      [10, 256],
      [30, 256],
      [64, 512],
    ] as const) {
      const exact = exactMultinomialMaxOverMean(nodes, shards);
      const closed = expectedMaxOverMean(shards, 1, [nodes]);
      expect(closed).toBeLessThanOrEqual(exact);
      expect(exact / closed).toBeLessThan(nodes < 30 ? 1.03 : 1.01);
    }
  });

  it("falls towards 1 as shards per node grow, and is 1 when every node holds every shard", () => {
    const ratios = [16, 64, 256, 1_024, 4_096].map((s) => expectedMaxOverMean(s, 1, [16]));
    for (let i = 1; i < ratios.length; i++) {
      expect(ratios[i]).toBeLessThan(ratios[i - 1] as number);
    }
    expect(ratios.at(-1)).toBeLessThan(1.2);
    expect(expectedMaxOverMean(64, 3, [3, 3])).toBeCloseTo(1, 12);
  });
});

/**
 * Each case averages max/mean over several fleets of random ids, enough that three
 * standard errors of the average plus the approximation's own bias (≤ 3 %) stay inside
 * the 10 % the simulator must match.
 */
const CASES = [
  { nodes: 10, replicaGroups: 1, replicationFactor: 1, shards: 256, fleets: 24 },
  { nodes: 30, replicaGroups: 1, replicationFactor: 2, shards: 256, fleets: 16 },
  { nodes: 100, replicaGroups: 2, replicationFactor: 2, shards: 1_024, fleets: 8 },
  { nodes: 300, replicaGroups: 1, replicationFactor: 3, shards: 1_024, fleets: 10 },
  { nodes: 1_000, replicaGroups: 4, replicationFactor: 2, shards: 1_024, fleets: 8 },
] as const;

describe("rendezvous placement over random node ids", () => {
  for (const { fleets, ...shape } of CASES) {
    it(`spreads shards like balls into bins: ${shape.nodes} nodes, ${shape.replicaGroups} group(s), RF ${shape.replicationFactor}, S ${shape.shards}`, () => {
      const ratios: number[] = [];
      let expected = 0;
      for (let seed = 1; seed <= fleets; seed++) {
        const balance = measureBalance(createFleet({ ...shape, documents: 0, seed }));
        ratios.push(balance.shards.maxOverMean);
        expected = balance.expectedShardMaxOverMean;
        expect(balance.shards.mean).toBeCloseTo(
          (shape.shards * shape.replicationFactor * shape.replicaGroups) / shape.nodes,
          9,
        );
        expect(balance.shardsPerNode).toBeCloseTo(balance.shards.mean, 9);
      }
      const mean = ratios.reduce((sum, ratio) => sum + ratio, 0) / ratios.length;
      expect(Math.abs(mean / expected - 1)).toBeLessThan(0.1);
    });
  }

  it("gives documents the same spread as their shards when shards are equally full", () => {
    const balance = measureBalance(
      createFleet({
        nodes: 20,
        replicaGroups: 1,
        replicationFactor: 1,
        shards: 256,
        documents: 1e9,
        seed: 3,
      }),
    );
    expect(balance.documents.mean).toBeCloseTo(1e9 / 20, 0);
    expect(Math.abs(balance.documents.maxOverMean / balance.shards.maxOverMean - 1)).toBeLessThan(
      0.01,
    );
  });
});

describe("the shards an imbalance target needs", () => {
  it("is the smallest S whose expected max/mean meets the target", () => {
    for (const [nodes, rf, target] of [
      [10, 1, 1.5],
      [100, 2, 1.25],
      [1_000, 1, 2],
    ] as const) {
      const needed = shardsForImbalance(nodes, rf, target);
      if (needed === null) throw new Error("reachable target");
      expect(expectedMaxOverMean(needed.shards, rf, [nodes])).toBeLessThanOrEqual(target);
      expect(expectedMaxOverMean(needed.shards - 1, rf, [nodes])).toBeGreaterThan(target);
      expect(needed.shardsPerNode).toBeCloseTo((needed.shards * rf) / nodes, 12);
    }
  });

  it("needs more shards per node for a tighter target and for a larger group", () => {
    const perNode = (nodes: number, target: number) =>
      shardsForImbalance(nodes, 1, target)?.shardsPerNode ?? Number.POSITIVE_INFINITY;
    expect(perNode(100, 1.25)).toBeGreaterThan(perNode(100, 1.5));
    expect(perNode(1_000, 1.5)).toBeGreaterThan(perNode(100, 1.5));
  });

  it("says null when even 2^20 shards cannot reach the target, and refuses a target ≤ 1", () => {
    expect(shardsForImbalance(10_000, 1, 1.01)).toBeNull();
    expect(() => shardsForImbalance(10, 1, 1)).toThrow(RangeError);
  });
});
