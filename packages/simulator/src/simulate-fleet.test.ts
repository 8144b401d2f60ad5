import { describe, expect, it } from "vitest";
import { FleetSpecError } from "./fleet.js";
import { DEFAULT_SIMULATION_OPTIONS, simulateFleet } from "./simulate-fleet.js";

const SPEC = {
  nodes: 24,
  replicaGroups: 2,
  replicationFactor: 2,
  shards: 256,
  documents: 10_000_000,
  seed: 42,
};

describe("simulating a fleet", () => {
  it("is reproducible: the same spec and options give the same report", () => {
    const options = { ...DEFAULT_SIMULATION_OPTIONS, trials: 40 };
    expect(simulateFleet(SPEC, options)).toEqual(simulateFleet(SPEC, options));
    expect(simulateFleet({ ...SPEC, seed: 43 }, options).balance).not.toEqual(
      simulateFleet(SPEC, options).balance,
    );
  });

  it("answers every question about the fleet in one report", () => {
    const report = simulateFleet(SPEC, { ...DEFAULT_SIMULATION_OPTIONS, trials: 40 });
    expect(report.spec).toMatchObject({ ...SPEC, zones: 2, zoneLayout: "group" });
    expect(report.groupSizes).toEqual([12, 12]);
    expect(report.balance.shardsPerNode).toBeCloseTo((256 * 2 * 2) / 24, 9);
    expect(report.addition.nodesBefore).toBe(12);
    expect(report.addition.example).not.toBeNull();
    expect(report.addition.minimumDocuments).toBeCloseTo((10_000_000 * 2) / 13, 3);
    expect(report.removal.ratio).toBe(1);
    expect(report.randomFailures.map((failure) => failure.failedNodes)).toEqual([1, 2, 3]);
    // RF 2 needs both replicas of a group; with two groups one node never stops a write.
    expect(report.randomFailures[0]?.withoutWriteQuorum.mean).toBe(0);
    expect(report.zoneFailures.map((zone) => zone.impact.withoutWriteQuorum)).toEqual([0, 0]);
    expect(report.fanOut.unpinned.mean).toBe(12);
    expect(report.fanOut.pinned[0]).toEqual({ keys: 1, mean: 1 });
  });

  it("refuses failure scenarios and trial counts it cannot run", () => {
    expect(() => simulateFleet(SPEC, { ...DEFAULT_SIMULATION_OPTIONS, failures: [25] })).toThrow(
      /fail from 0 to 24 nodes, got 25/,
    );
    expect(() => simulateFleet(SPEC, { ...DEFAULT_SIMULATION_OPTIONS, trials: 0 })).toThrow(
      FleetSpecError,
    );
  });
});
