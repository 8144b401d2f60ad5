import { shardRoute } from "@miroir/router";
import { describe, expect, it } from "vitest";
import {
  expectedRandomFailureImpact,
  expectedZoneFailureImpact,
  failureImpact,
  simulateRandomFailures,
  simulateZoneFailures,
  writeQuorum,
} from "./failures.js";
import { createFleet, type FleetSpec } from "./fleet.js";
import { seededRandom } from "./random.js";

/** Every k-subset of [0, n). */
function* subsets(n: number, k: number, from = 0, chosen: number[] = []): Generator<number[]> {
  if (chosen.length === k) {
    yield chosen;
    return;
  }
  for (let i = from; i <= n - (k - chosen.length); i++) {
    yield* subsets(n, k, i + 1, [...chosen, i]);
  }
}

describe("the write quorum", () => {
  it("is ⌊RF/2⌋ + 1 acknowledgements", () => {
    expect([1, 2, 3, 4, 5].map(writeQuorum)).toEqual([1, 2, 2, 3, 3]);
  });
});

describe("k nodes failing at random", () => {
  it("costs, averaged over every possible set of k failed nodes, exactly the closed form", () => {
    const shapes: [FleetSpec, number][] = [
      [{ nodes: 8, replicaGroups: 2, replicationFactor: 2, shards: 16, documents: 0, seed: 1 }, 3],
      [{ nodes: 9, replicaGroups: 1, replicationFactor: 3, shards: 32, documents: 0, seed: 2 }, 2],
      [{ nodes: 9, replicaGroups: 3, replicationFactor: 1, shards: 24, documents: 0, seed: 3 }, 4],
      [{ nodes: 7, replicaGroups: 2, replicationFactor: 3, shards: 8, documents: 0, seed: 4 }, 3],
    ];
    for (const [spec, k] of shapes) {
      const fleet = createFleet(spec);
      const ids = fleet.topology.nodes.map((node) => node.id);
      const sum = { withoutWriteQuorum: 0, degraded: 0, unreadable: 0 };
      let sets = 0;
      for (const chosen of subsets(ids.length, k)) {
        const impact = failureImpact(fleet, new Set(chosen.map((i) => ids[i] as string)));
        sum.withoutWriteQuorum += impact.withoutWriteQuorum;
        sum.degraded += impact.degraded;
        sum.unreadable += impact.unreadable;
        sets += 1;
      }
      const expected = expectedRandomFailureImpact(
        spec.nodes,
        spec.replicaGroups,
        spec.replicationFactor,
        spec.shards,
        k,
      );
      expect(sum.withoutWriteQuorum / sets).toBeCloseTo(expected.withoutWriteQuorum, 9);
      expect(sum.degraded / sets).toBeCloseTo(expected.degraded, 9);
      expect(sum.unreadable / sets).toBeCloseTo(expected.unreadable, 9);
    }
  });

  const CASES = [
    { nodes: 10, replicaGroups: 1, replicationFactor: 1, shards: 256, failed: 1 },
    { nodes: 20, replicaGroups: 2, replicationFactor: 2, shards: 256, failed: 3 },
    { nodes: 100, replicaGroups: 1, replicationFactor: 3, shards: 1_024, failed: 10 },
    { nodes: 300, replicaGroups: 2, replicationFactor: 2, shards: 1_024, failed: 30 },
    { nodes: 1_000, replicaGroups: 4, replicationFactor: 1, shards: 512, failed: 250 },
  ] as const;
  for (const { failed, ...shape } of CASES) {
    it(`matches the closed form in simulation: ${failed} of ${shape.nodes} nodes, ${shape.replicaGroups} group(s), RF ${shape.replicationFactor}`, () => {
      const fleet = createFleet({ ...shape, documents: 0, seed: 21 });
      const report = simulateRandomFailures(fleet, {
        failedNodes: failed,
        trials: 400,
        random: seededRandom(22),
      });
      expect(report.failedNodes).toBe(failed);
      expect(report.trials).toBe(400);
      for (const figure of [report.withoutWriteQuorum, report.degraded, report.unreadable]) {
        // Four standard errors of the trial mean, plus a hair for an expectation of 0.
        expect(Math.abs(figure.mean - figure.expected)).toBeLessThanOrEqual(
          4 * figure.standardError + 1e-9,
        );
        if (figure.expected > 5) {
          expect(Math.abs(figure.mean / figure.expected - 1)).toBeLessThan(0.1);
        }
        expect(figure.probabilityAny).toBeGreaterThanOrEqual(0);
        expect(figure.probabilityAny).toBeLessThanOrEqual(1);
      }
    });
  }

  it("loses nothing when no node fails, and everything when all do", () => {
    const spec = { nodes: 6, replicaGroups: 2, replicationFactor: 1, shards: 32, documents: 0 };
    expect(expectedRandomFailureImpact(6, 2, 1, 32, 0)).toEqual({
      withoutWriteQuorum: 0,
      degraded: 0,
      unreadable: 0,
    });
    const all = expectedRandomFailureImpact(6, 2, 1, 32, 6);
    expect(all.withoutWriteQuorum).toBeCloseTo(32, 9);
    expect(all.unreadable).toBeCloseTo(32, 9);
    const fleet = createFleet({ ...spec, seed: 1 });
    expect(failureImpact(fleet, new Set(fleet.topology.nodes.map((node) => node.id)))).toEqual({
      withoutWriteQuorum: 32,
      degraded: 32,
      unreadable: 32,
    });
  });

  it("calls a shard unreadable exactly when every one of its replicas failed", () => {
    const fleet = createFleet({
      nodes: 12,
      replicaGroups: 2,
      replicationFactor: 2,
      shards: 128,
      documents: 0,
      seed: 5,
    });
    const random = seededRandom(6);
    const ids = fleet.topology.nodes.map((node) => node.id);
    for (let trial = 0; trial < 50; trial++) {
      const failed = new Set(random.sample(5, ids.length).map((i) => ids[i] as string));
      let allLost = 0;
      for (let shard = 0; shard < 128; shard++) {
        const replicas = shardRoute(fleet.topology, shard).serving.flat();
        if (replicas.every((id) => failed.has(id))) allLost += 1;
      }
      expect(failureImpact(fleet, failed).unreadable).toBe(allLost);
    }
  });
});

describe("a whole zone failing", () => {
  it("costs no quorum and no read when each group is its own zone and there are two groups", () => {
    const fleet = createFleet({
      nodes: 40,
      replicaGroups: 2,
      replicationFactor: 1,
      shards: 256,
      documents: 0,
      seed: 7,
    });
    const zones = simulateZoneFailures(fleet);
    expect(zones).toHaveLength(2);
    for (const zone of zones) {
      expect(zone.failedNodes).toBe(20);
      expect(zone.impact).toEqual({ withoutWriteQuorum: 0, degraded: 256, unreadable: 0 });
      expect(zone.expected).toEqual(zone.impact);
    }
  });

  it("loses the shards whose replicas share the zone when groups are spread over zones", () => {
    const fleet = createFleet({
      nodes: 60,
      replicaGroups: 1,
      replicationFactor: 3,
      shards: 4_096,
      documents: 0,
      zones: 3,
      zoneLayout: "spread",
      seed: 8,
    });
    for (const zone of simulateZoneFailures(fleet)) {
      expect(zone.failedNodes).toBe(20);
      // Hypergeometric(60, 20, 3): P(≥ 2 of 3 replicas in the zone) ≈ 0.2554, P(all 3) ≈ 0.0333.
      expect(zone.expected.withoutWriteQuorum / 4_096).toBeCloseTo(0.255406, 5);
      expect(zone.expected.unreadable / 4_096).toBeCloseTo(0.033314, 5);
      for (const key of ["withoutWriteQuorum", "degraded", "unreadable"] as const) {
        const p = zone.expected[key] / 4_096;
        const standardError = Math.sqrt(4_096 * p * (1 - p));
        expect(Math.abs(zone.impact[key] - zone.expected[key])).toBeLessThanOrEqual(
          4 * standardError + 1e-9,
        );
      }
    }
    expect(expectedZoneFailureImpact(fleet, 5).withoutWriteQuorum).toBe(0);
  });
});
