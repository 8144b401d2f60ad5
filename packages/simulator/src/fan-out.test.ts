import { shardsByNode } from "@miroir/router";
import { describe, expect, it } from "vitest";
import { searchFanOut } from "./fan-out.js";
import { createFleet } from "./fleet.js";
import { seededRandom } from "./random.js";

describe("search fan-out", () => {
  it("asks every node of the query group that holds a shard, when no key is pinned", () => {
    const fleet = createFleet({
      nodes: 40,
      replicaGroups: 2,
      replicationFactor: 1,
      shards: 1_024,
      documents: 0,
      seed: 1,
    });
    const report = searchFanOut(fleet, { queries: 8, pinnedKeys: [], random: seededRandom(1) });
    const holding = shardsByNode(fleet.topology).filter((row) => row.owned.length > 0);
    expect(holding).toHaveLength(40);
    expect(report.unpinned).toEqual({ mean: 20, max: 20 });
    expect(report.queries).toBe(8);
  });

  it("asks one node for one pinned key, and at most one node per key for several", () => {
    const fleet = createFleet({
      nodes: 100,
      replicaGroups: 1,
      replicationFactor: 2,
      shards: 4_096,
      documents: 0,
      seed: 2,
    });
    const report = searchFanOut(fleet, {
      queries: 16,
      pinnedKeys: [1, 10, 100],
      random: seededRandom(2),
    });
    const [one, ten, hundred] = report.pinned;
    expect(one).toEqual({ keys: 1, mean: 1 });
    expect(ten?.mean).toBeLessThanOrEqual(10);
    expect(ten?.mean).toBeGreaterThan(9);
    // 100 keys over 100 nodes: 1 − (1 − 1/100)^100 ≈ 63 % of the nodes.
    expect(hundred?.mean).toBeGreaterThan(55);
    expect(hundred?.mean).toBeLessThan(72);
  });

  it("asks each node for the whole window up to the page, capped by maxTotalHits", () => {
    const fleet = createFleet({
      nodes: 8,
      replicaGroups: 1,
      replicationFactor: 1,
      shards: 64,
      documents: 0,
      seed: 3,
    });
    const report = searchFanOut(fleet, { queries: 4, pinnedKeys: [], random: seededRandom(3) });
    const fanOut = report.unpinned.mean;
    expect(report.hitsRequested).toEqual([
      { offset: 0, limit: 20, perSearch: fanOut * 20 },
      { offset: 980, limit: 20, perSearch: fanOut * 1_000 },
    ]);
  });

  it("sends longer node queries as shards per node grow (the shard filter lists them)", () => {
    const bytes = [64, 1_024, 16_384].map(
      (shards) =>
        searchFanOut(
          createFleet({
            nodes: 8,
            replicaGroups: 1,
            replicationFactor: 1,
            shards,
            documents: 0,
            seed: 4,
          }),
          { queries: 2, pinnedKeys: [], random: seededRandom(4) },
        ).nodeQueryBytes,
    );
    // Every shard is listed once per search, as up to 5 digits and a separator.
    const [s64, s1024, s16384] = bytes as [number, number, number];
    expect(s64).toBeLessThan(s1024);
    const perShard = (s16384 - s1024) / (16_384 - 1_024);
    expect(perShard).toBeGreaterThan(3);
    expect(perShard).toBeLessThan(8);
  });
});
